"""Twenty readers search for the same new text at the same moment, each on its own
PostgreSQL connection: one knowledge-gap row, counted twenty times."""

from __future__ import annotations

import pytest
from django.db import connection

from community.actions.gaps import record_search
from community.models import SearchGap
from tests.service.together import all_at_once

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


def test_simultaneous_searches_for_a_new_text_make_one_row(settings):
    assert connection.vendor == "postgresql"
    all_at_once(lambda n: record_search({}, "Xylophone firmware", found=0), list(range(20)))
    row = SearchGap.objects.get()
    assert (row.text, row.searches, row.no_results) == ("xylophone firmware", 20, 20)
