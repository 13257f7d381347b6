"""Demo support data for `make run` (after seed_demo): an escalation swept for a breached
SLA, a VIP customer's that an advocate escalated, an Invoicing product team (priya)
with a feature request that has a public status, and an incident the signals sweep
opened for a surge of invoice questions, with sam's official status; and coaching of
new members' first questions switched on. Idempotent."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from taggit.models import Tag

from accounts.models import Plan, User
from community.actions.engagement import toggle_me_too
from community.actions.questions import ask_question
from community.models import Category, CoachingMode, CoachingPolicy, Question
from support.actions.escalations import request_help, sweep
from support.actions.feedback import set_status
from support.actions.incidents import post_status, sweep_incidents
from support.models import (
    Escalation,
    FeedbackItem,
    FeedbackStatus,
    HelpRequestKind,
    Incident,
    IncidentStage,
    ProductTeam,
    SlaTarget,
)


class Command(BaseCommand):
    help = "Create demo escalations for the support queue (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        if Escalation.objects.exists():
            return
        people = {
            u.username: u
            for u in User.objects.filter(username__in=["casey", "omar", "ava", "priya", "jules", "sam"])
        }
        if len(people) < 6:
            self.stderr.write("Run seed_demo first: the demo people are missing.")
            return
        category = Category.objects.order_by("position").first()
        with transaction.atomic():
            User.objects.filter(pk=people["omar"].pk).update(is_vip=True)
            self._plans(people)
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
        self._feedback(people, category)
        self._incident(people, category)
        # New members' first questions go to coaching (the demo's own threads came first).
        CoachingPolicy.objects.get_or_create(pk=1, defaults={"mode": CoachingMode.FIRST_QUESTION})

    def _plans(self, people: dict[str, User]) -> None:
        """Omar's company is on Enterprise (2 h to a first reply, 1 h when urgent), Casey
        on Pro (8 h); the others on no plan, the site default."""
        plans = {plan.slug: plan for plan in Plan.objects.all()}
        if "enterprise" not in plans or "pro" not in plans:
            return
        User.objects.filter(pk=people["omar"].pk).update(plan=plans["enterprise"])
        User.objects.filter(pk=people["casey"].pk).update(plan=plans["pro"])
        for plan, severity, first, solution in (
            (plans["enterprise"], "", 2, 8), (plans["enterprise"], "urgent", 1, 4), (plans["pro"], "", 8, 24),
        ):  # fmt: skip
            SlaTarget.objects.get_or_create(
                plan=plan, category=None, severity=severity,
                defaults={"first_reply_hours": first, "solution_hours": solution},
            )  # fmt: skip
        for person in people.values():
            person.refresh_from_db()

    def _feedback(self, people: dict[str, User], category: Category | None) -> None:
        team, _ = ProductTeam.objects.get_or_create(
            slug="invoicing",
            defaults={
                "name": "Invoicing",
                "product_tags": "invoices billing",
                # Daily, to priya's inbox (var/mail/): the first digest arrives with `make run`.
                "digest_cadence": "daily",
                "digest_recipients": people["priya"].email,
            },
        )
        team.members.add(people["priya"])
        for name in ("feature-request", "invoices"):
            Tag.objects.get_or_create(name=name, defaults={"slug": name})
        with transaction.atomic():
            idea = ask_question(
                author=people["casey"],
                title="Let me schedule recurring invoices on the last day of the month",
                body="Some clients want invoices on the last day of every month, whatever its length.",
                category=category,
                tags=["feature-request", "invoices"],
            )
            toggle_me_too(idea, user=people["omar"])
            toggle_me_too(idea, user=people["jules"])
        item = FeedbackItem.objects.get(question=idea, team=team)
        set_status(
            item,
            status=FeedbackStatus.PLANNED,
            response="Planned for the spring release: 'last day of the month' becomes a schedule option.",
            by=people["priya"],
        )
        # Asked, seconded and planned yesterday: yesterday's digest (the first one beat
        # builds) has something in it.
        yesterday = timezone.now() - timedelta(days=1)
        Question.objects.filter(pk=idea.pk).update(created_at=yesterday, last_activity_at=yesterday)
        FeedbackItem.objects.filter(pk=item.pk).update(created_at=yesterday, status_changed_at=yesterday)
        item.history.update(at=yesterday)
        idea.me_toos.update(created_at=yesterday)

    def _incident(self, people: dict[str, User], category: Category | None) -> None:
        """A tag asked about for weeks, then nine questions about blank invoice PDFs within
        the last hour: the sweep opens an incident, and sam posts what support knows."""
        with transaction.atomic():
            old = ask_question(
                author=people["jules"],
                title="How do I void an invoice I sent by mistake?",
                body="I sent an invoice to the wrong client. Can I cancel it?",
                category=category,
                tags=["invoices"],
            )
            weeks_ago = timezone.now() - timedelta(days=20)
            Question.objects.filter(pk=old.pk).update(created_at=weeks_ago, last_activity_at=weeks_ago)
            askers = [people[name] for name in ("casey", "omar", "jules", "ava")]
            for i, problem in enumerate(SURGE):
                asked = ask_question(
                    author=askers[i % len(askers)], title=problem, body=f"{problem}. It worked yesterday.",
                    category=category, tags=["invoices"],
                )  # fmt: skip
                at = timezone.now() - timedelta(minutes=55 - 6 * i)
                Question.objects.filter(pk=asked.pk).update(created_at=at, last_activity_at=at)
        counts = sweep_incidents()
        self.stdout.write(f"Demo incidents: {counts}")
        incident = Incident.objects.filter(state="open").first()
        if incident is not None:
            post_status(
                incident,
                by=people["sam"],
                stage=IncidentStage.IDENTIFIED,
                body="Invoice PDFs generated since 9:00 come out blank. The fix is being deployed; "
                "your invoices themselves are fine and can be downloaded again once it is out.",
            )


SURGE = [
    "Invoice PDF download shows a blank page",
    "Blank PDF when I export an invoice",
    "My invoices download as empty PDFs",
    "Invoice PDF is empty since this morning",
    "Exported invoice PDF has no content",
    "PDF of invoice 1043 is blank",
    "Clients say the invoice PDF attachment is empty",
    "Empty invoice PDFs after today's update",
    "Invoice PDF export broken: white page",
]
