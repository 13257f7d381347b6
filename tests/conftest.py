"""Shared fixtures: factories for every model, and fast-tier settings."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from taggit.models import Tag

from accounts.models import User
from accounts.roles import ADVOCATE, PRODUCT_MANAGER, SUPPORT_STAFF
from community.actions.answers import post_answer
from community.actions.comments import add_comment
from community.actions.questions import ask_question
from community.actions.reputation import adjust_reputation
from community.models import Answer, Category, Question
from config.celery import app as celery_app

_counter = itertools.count(1)
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _fast_settings(settings: Any, tmp_path: Any) -> Any:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.COMMUNITY_SEARCH_INDEX_DIR = tmp_path / "search-index"
    settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(tmp_path / "vectors")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False  # login throttling has its own tests (test_rate_limits.py)
    # The anonymous page cache is bumped after commits, which a test inside a transaction
    # never makes; its tests (tests/community/test_page_cache.py) turn it on.
    settings.COMMUNITY_PAGE_CACHE_SECONDS = 0
    settings.CACHES = {
        **settings.CACHES,
        "pages": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "askwell-pages"},
    }
    from django.core.cache import caches

    caches["pages"].clear()  # stored answer blocks: each test starts without any
    # Meaning is off but where a test turns it on (tests/community/test_hybrid_search.py):
    # embedding every thread the other tests index would triple the suite's time. Where it
    # is on, each test's threads are found by meaning at once, and none of another test's.
    settings.COMMUNITY_EMBEDDINGS = False
    settings.COMMUNITY_VECTOR_SYNC_SECONDS = 0
    from community.search import vectors

    vectors.forget()
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    celery_app.conf.task_always_eager = True
    yield settings
    celery_app.conf.task_always_eager = False


@pytest.fixture
def run(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run an action, then its after-commit work (the outbox handlers), as in production."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def user_factory(db: Any) -> Callable[..., User]:
    def make(
        *, username: str | None = None, roles: tuple[str, ...] = (), reputation: int = 1, **fields: Any
    ) -> User:
        n = next(_counter)
        username = username or f"member{n}"
        user = User.objects.create_user(
            username=username,
            email=fields.pop("email", f"{username}@example.com"),
            password=PASSWORD,
            **fields,
        )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        for role in roles:
            user.groups.add(Group.objects.get_or_create(name=role)[0])  # flushed by transactional tests
        if SUPPORT_STAFF in roles:
            User.objects.filter(pk=user.pk).update(is_staff=True)
            user.is_staff = True
        if reputation > 1:
            adjust_reputation(user, points=reputation - 1, source_key=f"test-start:{user.pk}")
            user.refresh_from_db(fields=["reputation"])
        return user

    return make


# Established members: enough reputation to vote both ways, comment and create tags,
# not enough to edit others' posts (the privilege thresholds are the default settings).
ESTABLISHED = 500


@pytest.fixture
def member(user_factory: Callable[..., User]) -> User:
    return user_factory(reputation=ESTABLISHED)


@pytest.fixture
def other_member(user_factory: Callable[..., User]) -> User:
    return user_factory(reputation=ESTABLISHED)


@pytest.fixture
def newcomer(user_factory: Callable[..., User]) -> User:
    return user_factory()


@pytest.fixture
def advocate(user_factory: Callable[..., User]) -> User:
    return user_factory(roles=(ADVOCATE,))


@pytest.fixture
def support_agent(user_factory: Callable[..., User]) -> User:
    return user_factory(roles=(SUPPORT_STAFF,))


@pytest.fixture
def product_manager(user_factory: Callable[..., User]) -> User:
    return user_factory(roles=(PRODUCT_MANAGER,))


@pytest.fixture
def category(db: Any) -> Category:
    return Category.objects.get_or_create(slug="billing", defaults={"name": "Billing"})[0]


@pytest.fixture
def question_factory(user_factory: Callable[..., User], category: Category) -> Callable[..., Question]:
    def make(*, author: User | None = None, **fields: Any) -> Question:
        n = next(_counter)
        tags = fields.pop("tags", ["billing", "export"])
        for name in tags:  # the site's existing tags; creating new ones is a privilege
            Tag.objects.get_or_create(name=name, defaults={"slug": name})
        return ask_question(
            author=author or user_factory(),
            title=fields.pop("title", f"How do I export invoice number {n} as PDF?"),
            body=fields.pop("body", f"I tried the export button on invoice {n} but nothing happens."),
            category=fields.pop("category", category),
            tags=tags,
        )

    return make


@pytest.fixture
def answer_factory(
    user_factory: Callable[..., User], question_factory: Callable[..., Question]
) -> Callable[..., Answer]:
    def make(
        *, question: Question | None = None, author: User | None = None, body: str | None = None
    ) -> Answer:
        return post_answer(
            question or question_factory(),
            author=author or user_factory(),
            body=body or f"Open Settings → Billing and use the Download PDF link ({next(_counter)}).",
        )

    return make


@pytest.fixture
def comment_factory(user_factory: Callable[..., User]) -> Callable[..., Any]:
    def make(
        post: Question | Answer, *, author: User | None = None, body: str = "Thanks, that helped!"
    ) -> Any:
        return add_comment(post, author=author or user_factory(reputation=50), body=body)

    return make


@pytest.fixture
def question(question_factory: Callable[..., Question], member: User) -> Question:
    return question_factory(author=member)
