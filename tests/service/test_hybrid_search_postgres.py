"""The hybrid search tests again, with PostgreSQL full text as the lexical engine."""

from __future__ import annotations

import pytest

from tests.community.test_hybrid_search import *  # noqa: F403 (the same tests, another engine)

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_engine(settings):
    settings.COMMUNITY_SEARCH_ENGINE = "postgres"
