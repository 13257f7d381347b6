"""Load demo data for `make run`: categories, threads, and one login per role."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from taggit.models import Tag

from accounts.models import User
from accounts.roles import ADVOCATE, PRODUCT_MANAGER, SUPPORT_STAFF
from community.actions.answers import accept_answer, post_answer
from community.actions.articles import ArticleDraft, capture_article, prefill
from community.actions.badges import award_badges
from community.actions.closing import close_question
from community.actions.engagement import toggle_me_too
from community.actions.moderation import flag_post
from community.actions.mvp import award_mvp, nominate_mvp
from community.actions.pages import save_team_profile
from community.actions.questions import ask_question
from community.actions.reputation import adjust_reputation
from community.actions.votes import cast_vote
from community.demo_content import CATEGORIES, THREADS
from community.models import Answer, Category, CloseReason, FlagReason, Question, TeamProfile, Vote
from community.permissions import can_vote

# Demo threads are asked this many minutes apart (see Command._spread): far enough for
# the serial-vote rule, close enough that none breaches even a VIP's 4-hour SLA at once.
THREAD_SPACING_MINUTES = 7

DEMO_PASSWORD = "askwell-demo"  # noqa: S105 (printed demo login, local only)

# key: (username, display name, role, title, starting reputation)
PEOPLE = {
    "casey": ("casey", "Casey Customer", None, "Freelance designer", 40),
    "ava": ("ava", "Ava Advocate", ADVOCATE, "Bookkeeper", 1200),
    "sam": ("sam", "Sam from Support", SUPPORT_STAFF, "Support engineer", 0),
    "priya": ("priya", "Priya PM", PRODUCT_MANAGER, "Product manager, Invoicing", 20),
    "admin": ("admin", "Askwell Admin", "admin", "Community manager", 0),
    "omar": ("omar", "Omar", None, "Agency owner", 320),
    "jules": ("jules", "Jules", None, "Developer", 140),
    "dealz": ("dealz", "Deals4U", None, "", 0),  # a new member who posts spam (not a login)
}

TEAM = {
    "sam": (
        "Support engineer",
        "Billing, invoices and integrations",
        "Sam answers what the community cannot, and makes sure no question waits too long.",
    ),
    "admin": (
        "Community manager",
        "The community guidelines, advocates and MVPs",
        "Runs the community day to day and welcomes new members.",
    ),
}


class Command(BaseCommand):
    help = "Create demo categories, threads and one account per role (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            people = {key: self._person(*spec) for key, spec in PEOPLE.items()}
            categories = {
                slug: Category.objects.get_or_create(
                    slug=slug, defaults={"name": name, "description": text, "position": i}
                )[0]
                for i, (slug, name, text) in enumerate(CATEGORIES)
            }
            if not Question.objects.exists():
                self._threads(people, categories)
                award_badges(user.pk for user in people.values())
                nomination = nominate_mvp(
                    people["ava"],
                    by=people["sam"],
                    citation="Ava answers billing and integration questions at all hours, "
                    "and her answers are the ones customers accept.",
                )
                award_mvp(nomination, by=people["admin"])
            for key, (job_title, owns, bio) in TEAM.items():  # the "meet the team" cards
                if not TeamProfile.objects.filter(user=people[key]).exists():
                    save_team_profile(people[key], job_title=job_title, owns=owns, bio=bio, listed=True)
        self._print_logins()

    def _person(self, username: str, display: str, role: str | None, title: str, start: int) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create_user(
                username=username,
                email=f"{username}@demo.askwell.localhost",
                password=DEMO_PASSWORD,
                display_name=display,
                title=title,
                company="Lumen customers" if role is None else "Lumen",
                is_staff=role in (SUPPORT_STAFF, "admin"),
                is_superuser=role == "admin",
            )
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            if role and role != "admin":
                user.groups.add(Group.objects.get(name=role))
            if start:
                # A starting balance, as if they had been members for a while (one ledger row).
                adjust_reputation(user, points=start, source_key=f"demo-start:{username}")
                user.refresh_from_db()
        return user

    def _threads(self, people: dict[str, User], categories: dict[str, Category]) -> None:
        for _, tags, *_rest in THREADS:  # the site's tags, as an admin would set them up
            for name in tags:
                Tag.objects.get_or_create(name=name, defaults={"slug": name})
        askers = ["casey", "omar", "jules"]
        voters = list(people.values())
        for n, (slug, tags, title, body, answers, accepted) in enumerate(THREADS):
            asker = people[askers[n % len(askers)]]
            question = ask_question(
                author=asker, title=title, body=body, category=categories[slug], tags=tags
            )
            posted = [
                post_answer(question, author=people[key], body=text)
                for key, text in answers
                if people[key] != asker
            ]
            for i, voter in enumerate(voters):
                voter.refresh_from_db(fields=["reputation"])
                if voter != asker and (n + i) % 3 == 0 and can_vote(voter, question):
                    cast_vote(question, by=voter, value=1)
                if voter != asker and n % 4 == 0 and i % 3 == 1:
                    toggle_me_too(question, user=voter)
                for answer in posted:
                    if (n + i + answer.pk) % 2 == 0 and can_vote(voter, answer):
                        cast_vote(answer, by=voter, value=1)
            if accepted is not None and accepted < len(posted):
                accept_answer(posted[accepted], by=asker)
            self._spread(question, minutes_ago=(len(THREADS) - n) * THREAD_SPACING_MINUTES)
        self._article(people)
        self._moderation(people, categories)

    def _spread(self, question: Question, *, minutes_ago: float) -> None:
        """Give one demo thread a past: asked ``minutes_ago``, answered and voted on in the
        minutes after. Cast in one go, every vote would fall in one burst that the
        serial-vote job (rightly) reverses ten minutes after ``make run``."""
        asked = timezone.now() - timedelta(minutes=minutes_ago)
        Question.objects.filter(pk=question.pk).update(created_at=asked, last_activity_at=asked)
        for i, answer in enumerate(Answer.objects.filter(question=question).order_by("pk")):
            Answer.objects.filter(pk=answer.pk).update(created_at=asked + timedelta(seconds=40 * (i + 1)))
        votes = Vote.objects.filter(Q(question=question) | Q(answer__question=question)).order_by("pk")
        for i, vote_id in enumerate(votes.values_list("pk", flat=True)):
            Vote.objects.filter(pk=vote_id).update(created_at=asked + timedelta(seconds=150 + 10 * i))
        # "I have this too" in the hour after, not all at once (the incident sweep would
        # rightly see a surge in the demo's categories).
        for i, pk in enumerate(question.me_toos.order_by("pk").values_list("pk", flat=True)):
            question.me_toos.filter(pk=pk).update(created_at=asked + timedelta(minutes=5 + 7 * i))

    def _moderation(self, people: dict[str, User], categories: dict[str, Category]) -> None:
        """Work for the review queues: a new member's spam, hidden at once by three members'
        flags, and a duplicate the advocate closed (new members' first posts are already
        in the first-posts queue)."""
        spam = ask_question(
            author=people["dealz"], title="Best cheap replica watches, 90% off today only",
            body="Visit watches.example for replica watches at 90% off. Use code LUMEN for free shipping!",
            category=categories["billing"], tags=["invoices"],
        )  # fmt: skip
        for key in ("casey", "omar", "jules"):
            flag_post(spam, by=people[key], reason=FlagReason.SPAM)
        original = Question.objects.filter(title="Invoice PDF shows the wrong currency symbol").first()
        if original is not None:
            duplicate = ask_question(
                author=people["casey"], title="PDF invoice has dollar sign instead of francs",
                body="My Swiss client's invoices show $ in the PDF but CHF on screen. How do I fix it?",
                category=categories["billing"], tags=["invoices", "pdf"],
            )  # fmt: skip
            close_question(duplicate, by=people["ava"], reason=CloseReason.DUPLICATE, duplicate_of=original)

    def _article(self, people: dict[str, User]) -> None:
        """One knowledge article, captured by the advocate from the best solved thread."""
        question = (
            Question.objects.filter(accepted_answer__isnull=False)
            .select_related("accepted_answer", "author")
            .order_by("-score", "pk")
            .first()
        )
        if question is None:
            return
        start = prefill(question)
        draft = ArticleDraft(
            title=question.title,
            summary=" ".join(question.accepted_answer.body.split())[:200],  # type: ignore[union-attr]
            body=start["body"],
            tags=sorted(question.tags.names()),
            review_by=start["review_by"],
        )
        capture_article(question, by=people["ava"], draft=draft)

    def _print_logins(self) -> None:
        self.stdout.write(self.style.SUCCESS("\nAskwell demo is ready at http://127.0.0.1:8000/"))
        self.stdout.write(f"Demo logins (password for all: {DEMO_PASSWORD}):")
        for username, display, role, _, _start in PEOPLE.values():
            label = {None: "customer", "admin": "admin (superuser)"}.get(role, str(role).lower())
            if username in ("omar", "jules", "dealz"):
                continue
            self.stdout.write(f"  {label:<20} {username:<8} ({display})")
        self.stdout.write("")
