"""Questions, answers and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.text import slugify
from taggit.managers import TaggableManager

from community.models.base import Imported, MarkdownBody, SoftDeletable, one_per_source
from community.querysets import AnswerQuerySet, CommentQuerySet, QuestionQuerySet

# What every visitor may see of a thread (querysets.visible_to); the lists' indexes cover it.
LIVE = models.Q(is_deleted=False)

RESERVED_SLUGS = frozenset(
    {
        "edit",
        "delete",
        "restore",
        "revisions",
        "answer",
        "follow",
        "me-too",
        "vote",
        "comment",
        "spam",
        "solved-it",
        "from-hint",
        "capture-article",
        "merge",
        "flag",
        "close",
        "reopen",
        "lock",
        "unlock",
        "redact",
    }
)


class QuestionStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    SOLVED = "solved", "Solved"


class CloseReason(models.TextChoices):
    DUPLICATE = "duplicate", "Duplicate"
    OFF_TOPIC = "off_topic", "Off-topic"
    NEEDS_DETAILS = "needs_details", "Needs details"
    RESOLVED_ELSEWHERE = "resolved_elsewhere", "Resolved elsewhere"


class Question(SoftDeletable, MarkdownBody, Imported):
    title = models.CharField(max_length=300)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="questions")
    category = models.ForeignKey(
        "community.Category",
        on_delete=models.PROTECT,
        related_name="questions",
        null=True,
        blank=True,
    )
    tags = TaggableManager(blank=True)
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField(db_index=True)
    # When the asker last did anything on the thread (asked, edited, commented, accepted);
    # advocates may accept for an asker silent long enough.
    asker_active_at = models.DateTimeField(null=True, blank=True)
    # Counters are denormalized and maintained with F() by the actions;
    # ``manage.py recount_community`` recomputes them from the rows.
    score = models.IntegerField(default=0, db_index=True)
    # An imported post's score on its source site (whose votes carry no voter): the
    # baseline that local votes add to and that ``recount_community`` never resets.
    imported_score = models.IntegerField(default=0, editable=False)
    answer_count = models.PositiveIntegerField(default=0)
    me_too_count = models.PositiveIntegerField(default=0)
    accepted_answer = models.ForeignKey(
        "community.Answer",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Closed: no new answers (comments and the asker's edits go on, so it can be reopened).
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    close_reason = models.CharField(max_length=30, choices=CloseReason.choices, blank=True)
    close_note = models.CharField(max_length=500, blank=True)
    # Locked by a moderator: no new answers, comments, edits or votes on the whole thread.
    locked_at = models.DateTimeField(null=True, blank=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lock_reason = models.CharField(max_length=500, blank=True)
    # The "Related questions" of its page, as search keys ("question:12", "article:3"),
    # best first: written by the search worker (community/actions/search.py) after the
    # thread or one of these is indexed, and by beat when older than a day, so that a
    # page view never searches; related_at None: not worked out yet (none shown).
    related_keys = models.JSONField(default=list, blank=True, editable=False)
    related_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Visible only to its asker and support staff (account details, invoices): never in
    # search, lists, related threads, feedback or anyone else's notifications
    # (querysets.visible_to decides, once). Set by the asker, changed by staff.
    is_private = models.BooleanField(default=False)
    # Coaching before publishing (community/actions/coaching.py): a first-time asker's
    # question waits for a coach (an advocate) to approve it, or for coaching_ends_at;
    # meanwhile only the asker, coaches and support staff see it, and it takes comments
    # (the coaching), not answers.
    in_coaching = models.BooleanField(default=False)
    coaching_ends_at = models.DateTimeField(null=True, blank=True)
    was_coached = models.BooleanField(default=False)
    coached_at = models.DateTimeField(null=True, blank=True)  # when it was published
    coached_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )  # None once published: the timeout published it

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        constraints = [one_per_source("question")]
        indexes = [
            # The support sweep's candidates: native, unsolved questions by age.
            models.Index(
                fields=["created_at"],
                condition=models.Q(accepted_answer__isnull=True, import_site__isnull=True, is_deleted=False),
                name="unsolved_native_by_age",
            ),
            # The lists' three orders (querysets.sorted_by), over what visitors see: a page of
            # a list, of a tag's list or a filtered one, reads its rows in order off one of
            # these and stops after a page, whatever the number of questions.
            models.Index(fields=["-created_at", "-id"], condition=LIVE, name="live_questions_newest"),
            models.Index(fields=["-last_activity_at", "-id"], condition=LIVE, name="live_questions_active"),
            models.Index(
                fields=["-score", "-created_at", "-id"], condition=LIVE, name="live_questions_votes"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def slug(self) -> str:
        # An all-punctuation or all-emoji title still needs a working URL, and a slug
        # must never read as one of the question's action paths (/questions/7/edit/).
        slug = slugify(self.title)[:80].strip("-") or str(self.pk)
        return f"{slug}-{self.pk}" if slug in RESERVED_SLUGS else slug

    @property
    def status(self) -> QuestionStatus:
        if self.accepted_answer_id is not None:
            return QuestionStatus.SOLVED
        if self.answer_count > 0:
            return QuestionStatus.ANSWERED
        return QuestionStatus.OPEN

    @property
    def is_solved(self) -> bool:
        return self.accepted_answer_id is not None

    @property
    def thread(self) -> Question:
        """The question a post belongs to (a question is its own; see Answer, Comment)."""
        return self

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def get_absolute_url(self) -> str:
        return reverse("community:question_detail", kwargs={"pk": self.pk, "slug": self.slug})


class Answer(SoftDeletable, MarkdownBody, Imported):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="answers")
    created_at = models.DateTimeField(db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    score = models.IntegerField(default=0)
    imported_score = models.IntegerField(default=0, editable=False)
    # Support staff answering for the company, marked "Official" on the page.
    is_official = models.BooleanField(default=False)
    # The asker said this official answer helped (support resolves its escalation on it).
    helped_asker_at = models.DateTimeField(null=True, blank=True)
    # Visible only to its author, the thread's asker and support staff.
    is_private = models.BooleanField(default=False)

    objects = AnswerQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [one_per_source("answer")]
        # A thread's first reply (the sweep and the dashboard ask for it per question).
        indexes = [models.Index(fields=["question", "created_at"], name="answer_question_created")]

    def __str__(self) -> str:
        return f"Answer {self.pk} to question {self.question_id}"

    @property
    def title(self) -> str:
        return self.question.title

    @property
    def thread(self) -> Question:
        return self.question

    def get_absolute_url(self) -> str:
        return f"{self.question.get_absolute_url()}#answer-{self.pk}"


class Comment(SoftDeletable, MarkdownBody, Imported):
    """A short remark on a question or on an answer (exactly one of the two)."""

    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    answer = models.ForeignKey(
        Answer, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    created_at = models.DateTimeField(db_index=True)
    is_official = models.BooleanField(default=False)
    # Visible only to its author, the thread's asker and support staff.
    is_private = models.BooleanField(default=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(question__isnull=False, answer__isnull=True)
                    | models.Q(question__isnull=True, answer__isnull=False)
                ),
                name="comment_on_exactly_one_post",
            ),
            one_per_source("comment"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk}"

    @property
    def thread(self) -> Question:
        return self.question if self.question is not None else self.answer.question  # type: ignore[union-attr]

    def get_absolute_url(self) -> str:
        return f"{self.thread.get_absolute_url()}#comment-{self.pk}"
