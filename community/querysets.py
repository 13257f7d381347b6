"""Reads shared by pages and (later) the API, with their joins decided in one place."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Self, TypeAlias

from django.conf import settings
from django.db import models
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Value,
    When,
    prefetch_related_objects,
)
from django.utils import timezone

from community import extensions, permissions

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from accounts.models import User
    from community.models import Answer, Comment, Question

    Viewer: TypeAlias = User | AnonymousUser

SORTS = ("newest", "active", "unanswered", "votes")
STATUSES = ("open", "answered", "solved")


class SoftDeletableQuerySet(models.QuerySet):
    """The one rule for every soft-deletable row (posts, articles): deleted rows are hidden
    from everyone but moderators, who can restore them."""

    def visible_to(self, user: Viewer) -> Self:
        rows = (
            self if permissions.can_see_deleted(user) else self.filter(is_deleted=False).in_visible_threads()
        )
        return rows if permissions.can_see_private(user) else rows.not_private_to(user)

    def in_visible_threads(self) -> Self:
        """Rows whose thread is not deleted either (only answers and comments have one)."""
        return self

    def not_private_to(self, user: Viewer) -> Self:
        """Without the private rows this user may not see (posts; articles are public)."""
        return self

    def live(self) -> Self:
        """Not deleted, whoever looks: what lists show and what can be rated or followed."""
        return self.filter(is_deleted=False)


def _asked_by(user: Viewer, thread: str) -> Q:
    """The rows of threads this user asked (none for a visitor)."""
    return Q(**{f"{thread}author_id": user.pk}) if user.is_authenticated else Q(pk__in=[])


def _shown_thread(user: Viewer, thread: str) -> Q:
    """The rows of threads anyone may read: not private, and published (coaches also
    read the questions in coaching)."""
    shown = {f"{thread}is_private": False}
    if not permissions.can_coach(user):
        shown[f"{thread}in_coaching"] = False
    return Q(**shown)


class QuestionQuerySet(SoftDeletableQuerySet):
    def not_private_to(self, user: Viewer) -> Self:
        return self.filter(_shown_thread(user, "") | _asked_by(user, ""))

    def for_listing(self) -> Self:
        return self.select_related("author", "category").prefetch_related("tags", "author__groups")

    def for_page(self) -> Self:
        """One thread's page: its authors' roles come once for the whole page (question_page),
        and what the registered panels need to know rides on the thread's own row."""
        return (
            self.select_related(
                "author", "category", "accepted_answer", "import_site", "closed_by", "locked_by"
            )
            .prefetch_related("tags")
            .annotate(**extensions.panel_annotations())
        )

    def tagged(self, tag: Any) -> Self:
        """Questions with this tag, as a correlated EXISTS on taggit's (content type,
        object) index with the tag's id. Not ``filter(tags__name=…)``: its join casts
        taggit's integer object id to the question's bigint, which keeps PostgreSQL off
        that index, so a tag's page read and sorted every question of the tag (180 ms for
        46,000 at 100,000 questions). With the id the planner knows how common the tag is:
        a page of a common tag walks the list's order index and stops after a page; a rare
        tag's few rows are read from the tag's own index."""
        from django.contrib.contenttypes.models import ContentType
        from taggit.models import TaggedItem

        items = TaggedItem.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model),
            object_id=OuterRef("pk"),
            tag_id=tag.pk,
        )
        return self.filter(Exists(items))

    def with_status(self, status: str) -> Self:
        if status == "open":
            return self.filter(answer_count=0, accepted_answer__isnull=True)
        if status == "answered":
            return self.filter(answer_count__gt=0, accepted_answer__isnull=True)
        if status == "solved":
            return self.filter(accepted_answer__isnull=False)
        return self

    def sorted_by(self, sort: str) -> Self:
        if sort == "active":
            return self.order_by("-last_activity_at", "-pk")
        if sort == "votes":
            return self.order_by("-score", "-created_at", "-pk")
        if sort == "unanswered":
            return self.filter(answer_count=0).order_by("-created_at", "-pk")
        return self.order_by("-created_at", "-pk")


class AnswerQuerySet(SoftDeletableQuerySet):
    def in_visible_threads(self) -> Self:
        return self.filter(question__is_deleted=False)

    def not_private_to(self, user: Viewer) -> Self:
        mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        asker = _asked_by(user, "question__")
        return self.filter(_shown_thread(user, "question__") | asker).filter(
            Q(is_private=False) | mine | asker
        )


class CommentQuerySet(SoftDeletableQuerySet):
    def in_visible_threads(self) -> Self:
        on_question = Q(question__isnull=False, question__is_deleted=False)
        on_answer = Q(answer__isnull=False, answer__is_deleted=False, answer__question__is_deleted=False)
        return self.filter(on_question | on_answer)

    def not_private_to(self, user: Viewer) -> Self:
        mine = Q(author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        asker = _asked_by(user, "question__") | _asked_by(user, "answer__question__")
        answer_mine = Q(answer__author_id=user.pk) if user.is_authenticated else Q(pk__in=[])
        thread_public = _shown_thread(user, "question__") | _shown_thread(user, "answer__question__")
        answer_public = Q(answer__isnull=True) | Q(answer__is_private=False) | answer_mine
        return (
            self.filter(thread_public | asker)
            .filter(answer_public | asker)
            .filter(Q(is_private=False) | mine | asker)
        )


class ArticleQuerySet(SoftDeletableQuerySet):
    pass


def article_tags(limit: int = 40) -> Any:
    """The tags of live knowledge articles, most used first (the article list's sidebar)."""
    from taggit.models import Tag

    rows = Tag.objects.filter(article__is_deleted=False).annotate(n=Count("article", distinct=True))
    return rows.order_by("-n", "name")[:limit]


class QueueQuerySet(models.QuerySet):
    """The reads every work queue shares (review items, escalations, feedback items): what
    is still open work, and what a person holds. Each queue model names its open states."""

    def open(self) -> Self:
        return self.filter(state__in=self.model.OPEN_STATES)  # type: ignore[attr-defined]

    def held_by(self, user: Viewer) -> Self:
        """Open items the person claimed or was assigned, soonest due first."""
        return (
            self.open().filter(assignee=user).order_by(F("due_at").asc(nulls_last=True), "created_at", "pk")
        )


class ReviewItemQuerySet(QueueQuerySet):
    def for_reviewer(self, user: Viewer, kind: str = "") -> Self:
        """Open items a reviewer has not skipped (nor voted on), in one queue or all. A
        first post, late answer or close/reopen vote on a post deleted meanwhile needs no
        review (a post hidden by flags is deleted too, and waits for its verdict)."""
        from community.models import ReviewKind

        moot = (ReviewKind.FIRST_POST, ReviewKind.LATE_ANSWER, ReviewKind.CLOSE, ReviewKind.REOPEN)
        items = (
            self.open()
            .exclude(skipped_by=user)
            .exclude(kind__in=moot, question__is_deleted=True)
            .exclude(kind__in=moot, answer__is_deleted=True)
        )
        return items.filter(kind=kind) if kind else items


def review_counts(user: Viewer) -> dict[str, int]:
    """Open items per review queue for this reviewer, in one query: the header's badges."""
    from community.models import ReviewItem, ReviewKind

    rows = ReviewItem.objects.for_reviewer(user).values_list("kind").annotate(n=Count("pk"))
    found = dict(rows.values_list("kind", "n"))
    return {kind: found.get(kind, 0) for kind in ReviewKind.values}


def my_reviews(user: User) -> list[Any]:
    """The review items a reviewer holds, for "My work"."""
    from community.models import ReviewItem

    return list(ReviewItem.objects.held_by(user).select_related("question", "answer__question", "comment"))


def resubmitted(rows: Any, *, author: User, body: str, now: Any) -> Any:
    """The same author's identical live post among ``rows`` from the last
    ``COMMUNITY_RESUBMIT_SECONDS`` (a form sent twice), or None."""
    since = now - timedelta(seconds=settings.COMMUNITY_RESUBMIT_SECONDS)
    return (
        rows.filter(author=author, body=body, is_deleted=False, created_at__gte=since).order_by("pk").first()
    )


# What each kind of post loads with it, for the pages that show or act on one.
_POST_LOADS: dict[str, tuple[str, ...]] = {
    "question": ("author", "category"),
    "answer": ("question", "author"),
    "comment": ("question", "answer__question", "author"),
}


def visible_post(user: Viewer, kind: str, pk: int) -> Question | Answer | Comment:
    """The question, answer or comment ``pk``, if ``user`` may see it (404 otherwise, and
    for an unknown kind): the one loader behind every page that acts on a post."""
    from django.http import Http404

    from community.models import Answer, Comment, Question

    model = {"question": Question, "answer": Answer, "comment": Comment}.get(kind)
    if model is None:
        raise Http404("No such kind of post.")
    rows: Any = model.objects.visible_to(user).select_related(*_POST_LOADS[kind])  # type: ignore[attr-defined]
    if kind == "question":
        rows = rows.prefetch_related("tags", "author__groups")
    found = rows.filter(pk=pk).first()
    if found is None:
        raise Http404(f"No visible {kind} {pk}.")
    return found  # type: ignore[no-any-return]


@dataclass
class QuestionPage:
    """Everything a question page shows, loaded in a fixed number of queries."""

    question: Question
    answers: list[Answer]
    question_comments: list[Comment]
    links: list[tuple[str, Question]] = field(default_factory=list)
    articles: list[Any] = field(default_factory=list)
    votes: dict[str, int] = field(default_factory=dict)
    following: bool = False
    me_too: bool = False

    def vote_for(self, post: Question | Answer) -> int:
        return self.votes.get(post_key(post), 0)


def post_key(post: Question | Answer) -> str:
    return f"{post._meta.model_name}-{post.pk}"


def question_page(question: Question, viewer: Viewer) -> QuestionPage:
    """Load a question's answers, comments and the viewer's own votes and flags.

    The accepted answer comes first, then by score, then oldest first.
    """
    from community.models import Article, Comment, Follow, MeToo, QuestionLink, Vote

    comments = (
        Comment.objects.visible_to(viewer).select_related("author", "import_site").order_by("created_at")
    )
    answers: list[Answer] = list(
        question.answers.visible_to(viewer)
        .select_related("author", "import_site")
        .prefetch_related(Prefetch("comments", queryset=comments, to_attr="visible_comments"))
        .annotate(
            # Among answers with equal scores, a current MVP's answer comes first.
            mvp_first=Case(When(author__mvp_until__gt=timezone.now(), then=Value(0)), default=Value(1))
        )
        .order_by("-score", "mvp_first", "created_at")
    )
    answers.sort(key=lambda answer: answer.pk != question.accepted_answer_id)
    page = QuestionPage(
        question=question,
        answers=answers,
        question_comments=list(comments.filter(question=question)),
    )
    # Every author's roles (their titles on the page) in one query, not one per kind of post.
    posts: list[Any] = [question, *answers, *page.question_comments]
    posts += [comment for answer in answers for comment in answer.visible_comments]  # type: ignore[attr-defined]
    prefetch_related_objects([post.author for post in posts], "groups")
    for link in QuestionLink.objects.filter(Q(source=question) | Q(target=question)).select_related(
        "source", "target"
    ):
        other = link.target if link.source_id == question.pk else link.source
        if other.is_private and not (permissions.can_see_private(viewer) or other.author_id == viewer.pk):
            continue  # a private thread's title is its asker's and staff's only
        if link.source_id == question.pk and not link.target.is_deleted:
            label = "Duplicate of" if link.kind == "duplicate" else "Linked"
            page.links.append((label, link.target))
        elif link.target_id == question.pk and not link.source.is_deleted:
            label = "Duplicates of this" if link.kind == "duplicate" else "Linked"
            page.links.append((label, link.source))
    page.articles = list(Article.objects.filter(source_question=question, is_deleted=False).order_by("pk"))
    page.links.sort(key=lambda pair: (pair[0] != "Duplicate of", pair[0], pair[1].title))
    if viewer.is_authenticated:
        own_votes = Vote.objects.filter(user=viewer).filter(
            Q(question=question) | Q(answer__in=[answer.pk for answer in answers])
        )
        for vote in own_votes:
            key = f"question-{vote.question_id}" if vote.question_id else f"answer-{vote.answer_id}"
            page.votes[key] = vote.value
        page.following = Follow.objects.filter(user=viewer, question=question).exists()
        page.me_too = MeToo.objects.filter(user=viewer, question=question).exists()
    question.my_vote = page.vote_for(question)  # type: ignore[attr-defined]
    for answer in answers:
        answer.my_vote = page.vote_for(answer)  # type: ignore[attr-defined]
    return page


def profile_activity(member: User, *, viewer: Viewer, limit: int = 20) -> tuple[Any, Any]:
    """A member's recent questions and answers, as the viewer may see them."""
    from community.models import Answer, Question

    questions = (
        Question.objects.visible_to(viewer)
        .filter(author=member)
        .for_listing()
        .order_by("-created_at")[:limit]
    )
    answers = (
        Answer.objects.visible_to(viewer)
        .filter(author=member, question__is_deleted=False)
        .select_related("question")
        .order_by("-created_at")[:limit]
    )
    return questions, answers


LEADERBOARD_PERIODS = {"week": 7, "month": 30, "all": None}


def leaderboard(*, period: str, tag: str = "", limit: int = 50) -> list[tuple[User, int]]:
    """Members by reputation earned in the period (and on questions with the tag)."""
    from django.db.models import Sum

    from accounts.models import User
    from community.models import ReputationEvent

    days = LEADERBOARD_PERIODS[period]
    if days is None and not tag:
        members = list(
            User.objects.filter(is_active=True, reputation__gt=1)
            .prefetch_related("groups")
            .order_by("-reputation", "username")[:limit]
        )
        return [(member, member.reputation - 1) for member in members]
    events = ReputationEvent.objects.all()
    if days is not None:
        events = events.filter(created_at__gte=timezone.now() - timedelta(days=days))
    if tag:
        events = events.filter(question__tags__name=tag)
    totals = list(
        events.values("user")
        .annotate(points=Sum("points"))
        .filter(points__gt=0)
        .order_by("-points", "user")
        .values_list("user", "points")[:limit]
    )
    by_id = User.objects.filter(is_active=True).prefetch_related("groups").in_bulk([pk for pk, _ in totals])
    return [(by_id[pk], points) for pk, points in totals if pk in by_id]


@dataclass(frozen=True)
class RelatedThread:
    kind: str  # "question" or "article"
    pk: int
    title: str
    solved: bool

    @property
    def url(self) -> str:
        from community.search import thread_url

        return thread_url(self.kind, self.pk)


def related_threads(question: Question, user: Any) -> list[RelatedThread]:
    """The "Related questions" the search worker kept on the question (never a search at
    page time): one query for the questions, one more only when articles are among them,
    each still visible to this reader, in the kept order."""
    from community.models import Article, Question

    wanted = [key.split(":", 1) for key in question.related_keys if ":" in key]
    question_ids = [int(pk) for kind, pk in wanted if kind == "question" and pk.isdigit()]
    article_ids = [int(pk) for kind, pk in wanted if kind == "article" and pk.isdigit()]
    found: dict[str, RelatedThread] = {}
    if question_ids:
        for pk, title, accepted in (
            Question.objects.visible_to(user)
            .filter(pk__in=question_ids)
            .values_list("pk", "title", "accepted_answer_id")
        ):
            found[f"question:{pk}"] = RelatedThread("question", pk, title, accepted is not None)
    if article_ids:
        for pk, title in (
            Article.objects.visible_to(user).filter(pk__in=article_ids).values_list("pk", "title")
        ):
            found[f"article:{pk}"] = RelatedThread("article", pk, title, False)
    return [found[key] for key in question.related_keys if key in found]


def review_item_for(user: Viewer, pk: int) -> Any:
    """A review item, for someone who works the review queue (404 if none, 403 if not theirs)."""
    from django.shortcuts import get_object_or_404

    from community.models import ReviewItem

    permissions.check_can_review(user)
    return get_object_or_404(ReviewItem, pk=pk)
