"""Demo escalations for `make run` (after seed_demo): one swept for a breached SLA, one a
VIP customer's that an advocate escalated. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.actions.questions import ask_question
from community.models import Category, Question
from support.actions.escalations import request_help, sweep
from support.models import Escalation, HelpRequestKind


class Command(BaseCommand):
    help = "Create demo escalations for the support queue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Escalation.objects.exists():
            return
        people = {u.username: u for u in User.objects.filter(username__in=["casey", "omar", "ava"])}
        if len(people) < 3:
            self.stderr.write("Run seed_demo first: the demo people are missing.")
            return
        category = Category.objects.order_by("position").first()
        with transaction.atomic():
            User.objects.filter(pk=people["omar"].pk).update(is_vip=True)
            late = ask_question(
                author=people["casey"],
                title="Recurring invoices stopped going out this morning",
                body="None of my recurring invoices were sent today and my clients are asking. "
                "This is really frustrating, nothing in the log.",
                category=category,
                tags=[],
            )
            Question.objects.filter(pk=late.pk).update(created_at=timezone.now() - timedelta(hours=30))
            vip = ask_question(
                author=people["omar"],
                title="Two-factor codes never arrive by SMS",
                body="I cannot log in to approve payroll: the SMS code never arrives on my phone.",
                category=category,
                tags=[],
            )
            people["ava"].refresh_from_db()
            request_help(
                vip, by=people["ava"], kind=HelpRequestKind.ADVOCATE, reason="VIP locked out before payroll"
            )
        counts = sweep()
        self.stdout.write(f"Demo escalations: {counts}")
