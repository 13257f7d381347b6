"""Incident sweeps running at the same moment on PostgreSQL (beat fired twice, a worker
retried): one incident for a surge, each surging series recorded on it once, every
thread of the surging hour grouped once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from support.actions.incidents import sweep_incidents
from support.models import Incident, IncidentThread, IncidentTrigger, ProductTeam
from tests.service.together import all_at_once
from tests.support.test_incidents import _bulk_questions

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]
SWEEPS = 4


def test_sweeps_at_once_open_one_incident(member, category):
    assert connection.vendor == "postgresql"
    ProductTeam.objects.create(name="Payments", slug="payments", product_tags="invoices")
    now = timezone.now()
    _bulk_questions(member, category, "invoices", [now - timedelta(days=9)])
    recent = _bulk_questions(
        member, category, "invoices", [now - timedelta(minutes=50 - 4 * i) for i in range(12)]
    )
    done, _ = all_at_once(lambda _: sweep_incidents(now=now), range(SWEEPS))
    assert len(done) == SWEEPS
    incident = Incident.objects.get()
    triggers = list(IncidentTrigger.objects.values_list("series", "signal"))
    assert len(triggers) == len(set(triggers)) and ("tag:invoices", "questions") in triggers
    assert sorted(IncidentThread.objects.values_list("question_id", flat=True)) == sorted(
        q.pk for q in recent
    )
    assert incident.threads.count() == 12
