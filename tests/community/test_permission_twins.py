"""Every ``can_*`` rule and its ``check_*`` twin give the same answer on the same fixtures:
the boolean a template shows and the check a view or action enforces never disagree.

The rules are found by walking both permission modules; their arguments are chosen by
parameter name from one shared set of people and objects, so a new rule is covered the
day it is written (and a rule whose arguments the walk cannot fill fails loudly here).
"""

from __future__ import annotations

import inspect
import itertools
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import User
from accounts.roles import ADVOCATE, PRODUCT_MANAGER, SUPPORT_STAFF
from community import permissions as community_permissions
from community.actions.answers import accept_answer
from community.models import Answer, Article, Question
from support import permissions as support_permissions
from support.models import Digest, FeedbackItem, ProductTeam

pytestmark = pytest.mark.django_db

MODULES = (community_permissions, support_permissions)


def _twins() -> list[tuple[object, str]]:
    found = []
    for module in MODULES:
        for name, rule in inspect.getmembers(module, inspect.isfunction):
            mine = name.startswith("can_") and rule.__module__.startswith(module.__name__)
            if mine and hasattr(module, f"check_{name}"):
                found.append((module, name[len("can_") :]))
    return found


TWINS = _twins()


@pytest.fixture
def world(user_factory, question_factory, answer_factory, comment_factory, category):
    now = timezone.now()
    author = user_factory(reputation=500)
    people = {
        "visitor": AnonymousUser(),
        "newcomer": user_factory(),
        "member": user_factory(reputation=500),
        "author": author,
        "suspended": user_factory(reputation=500, suspended_until=now + timedelta(days=3)),
        "privileged": user_factory(reputation=3000),
        "advocate": user_factory(roles=(ADVOCATE,)),
        "staff": user_factory(roles=(SUPPORT_STAFF,)),
        "product manager": user_factory(roles=(PRODUCT_MANAGER,)),
        "admin": user_factory(is_superuser=True, is_staff=True),
    }
    open_question = question_factory(author=author)
    answer = answer_factory(question=open_question)
    own_answer = answer_factory(question=open_question, author=author)
    solved = question_factory(author=author)
    accept_answer(answer_factory(question=solved), by=author)
    solved.refresh_from_db()
    deleted = question_factory(author=author)
    Question.objects.filter(pk=deleted.pk).update(is_deleted=True)
    deleted.refresh_from_db()
    deleted_answer = answer_factory(question=open_question)
    Answer.objects.filter(pk=deleted_answer.pk).update(is_deleted=True)
    deleted_answer.refresh_from_db()
    locked = question_factory(author=author)
    Question.objects.filter(pk=locked.pk).update(locked_at=now, lock_reason="Heated")
    locked.refresh_from_db()
    closed = question_factory(author=author)
    Question.objects.filter(pk=closed.pk).update(closed_at=now, close_reason="off_topic")
    closed.refresh_from_db()
    old = question_factory(author=author)
    Question.objects.filter(pk=old.pk).update(created_at=now - timedelta(days=30), asker_active_at=None)
    old.refresh_from_db()
    old_answer = answer_factory(question=old)
    questions = [open_question, solved, deleted, locked, closed, old]
    answers = [answer, own_answer, deleted_answer, old_answer]
    comments = [comment_factory(open_question), comment_factory(answer, author=author)]
    article = Article.objects.create(
        title="Export", summary="How", body="Use **export**.", body_html="", author=people["staff"],
        created_at=now, updated_at=now, review_by=now.date(),
    )  # fmt: skip
    team = ProductTeam.objects.create(name="Billing", slug="billing")
    team.members.add(people["product manager"])
    other_team = ProductTeam.objects.create(name="Payroll", slug="payroll")
    feedback = [
        FeedbackItem.objects.create(
            question=open_question, team=team, kind="idea", state="open", created_at=now, updated_at=now
        )
    ]
    return {
        "people": people,
        "question": questions,
        "answer": answers,
        "post": questions + answers + comments,
        "votable": questions + answers,
        "article": [article],
        "member": [people["member"], people["admin"], people["staff"]],
        "item": feedback,
        "digest": [
            Digest.objects.create(team=team, period_start=now, period_end=now, built_at=now, content={}),
            Digest.objects.create(
                team=other_team, period_start=now, period_end=now, built_at=now, content={}
            ),
        ],
        "value": [1, -1],
        "tags": [[], ["billing", "export"], ["billing", "a-tag-nobody-made"]],
    }


def _choices(world, parameter: inspect.Parameter) -> list[object]:
    name, annotation = parameter.name, str(parameter.annotation)
    if name in ("question", "duplicate", "into"):
        return world["question"]
    if name == "post":
        return world["post"] if "Comment" in annotation or annotation == "Post" else world["votable"]
    if name in world:
        return world[name]
    raise AssertionError(f"The twin walk cannot fill the parameter {name!r} ({annotation})")


def _allowed(check, *args) -> bool:
    try:
        check(*args)
    except PermissionDenied:
        return False
    return True


@pytest.mark.parametrize(("module", "rule"), TWINS, ids=[f"{m.__name__}.{r}" for m, r in TWINS])
def test_each_can_rule_agrees_with_its_check(world, module, rule):
    can, check = getattr(module, f"can_{rule}"), getattr(module, f"check_can_{rule}")
    can_params = list(inspect.signature(can).parameters.values())[1:]
    check_params = list(inspect.signature(check).parameters.values())[1:]
    disagreements = []
    for person, user in world["people"].items():
        if isinstance(user, User):
            user.refresh_from_db()
        for args in itertools.product(*(_choices(world, p) for p in check_params)):
            by_name = dict(zip((p.name for p in check_params), args, strict=True))
            aliases = {"question": by_name.get("duplicate")}  # the same object, named for its role
            can_args = [by_name[p.name] if p.name in by_name else aliases[p.name] for p in can_params]
            expected = bool(can(user, *can_args))
            if expected != _allowed(check, user, *args):
                disagreements.append(
                    f"{person} on {[str(getattr(a, 'pk', a)) for a in args]}: can={expected}"
                )
    assert not disagreements, disagreements


def test_the_walk_finds_the_rules():
    names = {rule for _, rule in TWINS}
    assert {"say_solved_it", "accept", "vote", "edit", "work_queue", "triage_feedback"} <= names
