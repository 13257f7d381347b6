"""schemathesis runs the whole OpenAPI document against the API in process (WSGI): every
operation, with generated inputs, answers no 5xx and matches the schema (status codes,
content types, bodies)."""

from __future__ import annotations

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis import checks

from accounts.actions import create_api_token

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

# The document /api/schema/ serves, generated as it does (no request, no database).
schema = schemathesis.openapi.from_dict(
    json.loads(json.dumps(SchemaGenerator().get_schema(public=True), default=str))
)
schema.app = get_wsgi_application()


@pytest.fixture(autouse=True)
def _a_thread_to_find(question_factory, answer_factory, member):
    answer_factory(question=question_factory(author=member))


@pytest.fixture
def staff_token(support_agent):
    """Support staff with every scope: the writes and the staff endpoints are reached too."""
    return create_api_token(support_agent, name="schemathesis", scopes=["read", "write", "staff"])[1]


@schema.parametrize()
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_to_the_schema(case):
    case.call_and_validate()


@schema.parametrize()
@settings(max_examples=15, deadline=None, database=None, suppress_health_check=list(HealthCheck))
def test_every_operation_conforms_with_a_staff_token(case, staff_token):
    # A write the schema allows may still be refused by the site's rules (a title of
    # spaces, a category or tag that does not exist, a vote on one's own post): a 4xx
    # problem detail, checked like every response; only "schema-valid means accepted"
    # is not asked of it.
    case.call_and_validate(
        headers={"Authorization": f"Bearer {staff_token}"}, excluded_checks=[checks.positive_data_acceptance]
    )
