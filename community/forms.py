"""Input forms. Bodies keep every character the author typed (``strip=False``)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts.models import TokenScope
from community import permissions
from community.models import Category, CoachingMode, FlagReason, Question
from community.querysets import SORTS, STATUSES

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+#.\-]*$")


def not_blank(value: str, what: str) -> str:
    """The value, unless it is empty or only whitespace (then a clear error about ``what``)."""
    if not value.strip():
        raise forms.ValidationError(f"{what} cannot be empty or only spaces.", code="blank")
    return value


def parse_tags(raw: str) -> list[str]:
    """Split a tags field on commas or spaces, lower-cased, duplicates dropped in order."""
    seen: dict[str, None] = {}
    for part in re.split(r"[,\s]+", raw.strip()):
        if part:
            seen.setdefault(part.lower(), None)
    return list(seen)


class TagsField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 400)
        kwargs.setdefault(
            "help_text",
            f"Up to {settings.COMMUNITY_MAX_TAGS} tags, separated by commas or spaces "
            "(letters, digits, and + # . -).",
        )
        super().__init__(**kwargs)

    def clean(self, value: Any) -> list[str]:  # type: ignore[override]
        raw = super().clean(value) or ""
        tags = parse_tags(raw)
        if len(tags) > settings.COMMUNITY_MAX_TAGS:
            raise forms.ValidationError(
                "Use at most %(max)s tags (you gave %(count)s).",
                params={"max": settings.COMMUNITY_MAX_TAGS, "count": len(tags)},
            )
        for tag in tags:
            if len(tag) > settings.COMMUNITY_TAG_MAX_LENGTH:
                raise forms.ValidationError(
                    "The tag “%(tag)s” is longer than %(max)s characters.",
                    params={"tag": tag[:60], "max": settings.COMMUNITY_TAG_MAX_LENGTH},
                )
            if not TAG_PATTERN.match(tag):
                raise forms.ValidationError(
                    "The tag “%(tag)s” may only use letters a–z, digits and + # . - "
                    "and must start with a letter or digit.",
                    params={"tag": tag[:60]},
                )
        return tags


class BodyField(forms.CharField):
    def __init__(self, *, min_length: int, max_length: int, label: str = "Body", **kwargs: Any):
        super().__init__(
            label=label,
            strip=False,
            min_length=min_length,
            max_length=max_length,
            widget=forms.Textarea(attrs={"rows": 10}),
            **kwargs,
        )

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value:
            not_blank(value, str(self.label or "Body"))


class QuestionForm(forms.Form):
    title = forms.CharField(
        label="Title",
        strip=False,
        min_length=settings.COMMUNITY_TITLE_MIN_LENGTH,
        max_length=settings.COMMUNITY_TITLE_MAX_LENGTH,
        help_text="Say what you need in one sentence, as you would ask a colleague.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    body = BodyField(
        min_length=settings.COMMUNITY_BODY_MIN_LENGTH,
        max_length=settings.COMMUNITY_BODY_MAX_LENGTH,
        help_text="Markdown. Include what you tried and what happened.",
    )
    category = forms.ModelChoiceField(
        label="Category", queryset=Category.objects.all(), empty_label="Choose a category"
    )
    tags = TagsField(label="Tags")
    private = forms.BooleanField(
        label="Private: only you and support staff can see it",
        required=False,
        help_text="For account details, invoices or anything personal. It is not searchable and "
        "the community will not see it.",
    )

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not Category.objects.exists():
            self.fields["category"].required = False

    def clean_tags(self) -> list[str]:
        tags: list[str] = self.cleaned_data["tags"]
        if self.user is not None:
            try:  # the rule lives in permissions; the form only shows its reason beside the field
                permissions.check_can_use_tags(self.user, tags)
            except PermissionDenied as refused:
                raise forms.ValidationError(str(refused)) from refused
        return tags

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"]
        not_blank(title, "The title")
        if len(title.strip()) < settings.COMMUNITY_TITLE_MIN_LENGTH:
            raise forms.ValidationError(
                "The title needs at least %(min)s characters besides spaces.",
                params={"min": settings.COMMUNITY_TITLE_MIN_LENGTH},
            )
        return title


class QuestionEditForm(QuestionForm):
    summary = forms.CharField(label="Edit summary", required=False, max_length=300)
    private = None  # type: ignore[assignment]  # staff change a thread's privacy on its page


PRIVATE_POST = "Private: only the asker, support staff and you can see it"


class AnswerForm(forms.Form):
    body = BodyField(
        min_length=settings.COMMUNITY_ANSWER_MIN_LENGTH,
        max_length=settings.COMMUNITY_BODY_MAX_LENGTH,
    )
    private = forms.BooleanField(label=PRIVATE_POST, required=False)


class AnswerEditForm(AnswerForm):
    summary = forms.CharField(label="Edit summary", required=False, max_length=300)
    private = None  # type: ignore[assignment]  # set when posting, not by editing


class CommentForm(forms.Form):
    body = BodyField(
        label="Comment",
        min_length=settings.COMMUNITY_COMMENT_MIN_LENGTH,
        max_length=settings.COMMUNITY_COMMENT_MAX_LENGTH,
    )
    private = forms.BooleanField(label=PRIVATE_POST, required=False)


class CoachingPolicyForm(forms.Form):
    mode = forms.ChoiceField(choices=CoachingMode.choices, label="Which questions go to coaching")
    accepted_posts = forms.IntegerField(
        min_value=1, max_value=100, initial=1, label="Accepted posts needed to skip coaching (last option)"
    )
    timeout_hours = forms.IntegerField(
        min_value=1, max_value=168, initial=12, label="Publish automatically after (hours)"
    )


class ApiTokenForm(forms.Form):
    name = forms.CharField(label="What it is for", max_length=80, help_text="For example “help desk sync”.")
    scopes = forms.MultipleChoiceField(
        label="What it may do",
        widget=forms.CheckboxSelectMultiple,
        choices=TokenScope.choices,
        initial=["read"],
    )

    def clean_name(self) -> str:
        return not_blank(self.cleaned_data["name"], "The name")


class PrivacyForm(forms.Form):
    private = forms.BooleanField(required=False)


class VoteForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])

    @property
    def value(self) -> int:
        return 1 if self.cleaned_data["direction"] == "up" else -1


class PreviewForm(forms.Form):
    body = forms.CharField(strip=False, required=False, max_length=settings.COMMUNITY_BODY_MAX_LENGTH)


class QuestionFilterForm(forms.Form):
    sort = forms.ChoiceField(choices=[(s, s) for s in SORTS], required=False)
    status = forms.ChoiceField(choices=[(s, s) for s in STATUSES], required=False)
    category = forms.SlugField(required=False, max_length=80)
    tag = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=100000)


class LeaderboardForm(forms.Form):
    period = forms.ChoiceField(
        choices=[("week", "This week"), ("month", "This month"), ("all", "All time")], required=False
    )
    tag = forms.CharField(required=False, max_length=100)


class MvpNominationForm(forms.Form):
    username = forms.CharField(label="Member's username", max_length=150)
    citation = forms.CharField(
        label="Citation",
        strip=False,
        max_length=2000,
        min_length=20,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Why this member: what they did for other customers. It is shown publicly.",
    )

    def clean_username(self) -> Any:
        from accounts.models import User

        member = User.objects.filter(username=self.cleaned_data["username"], is_active=True).first()
        if member is None:
            raise forms.ValidationError("No active member has that username.")
        return member


class MvpAwardForm(forms.Form):
    days = forms.IntegerField(label="Term in days", min_value=1, max_value=3660, initial=365)


class SearchForm(forms.Form):
    """Search input. The query itself is never refused: the engine cleans and caps it and
    says so; only the filters are validated."""

    q = forms.CharField(label="Search", required=False, strip=False)
    tag = forms.CharField(required=False, max_length=100)
    category = forms.SlugField(required=False, max_length=80)
    status = forms.ChoiceField(
        choices=[("", "Any"), ("solved", "Solved"), ("unsolved", "Not solved yet")], required=False
    )
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    page = forms.IntegerField(required=False, min_value=1, max_value=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # NUL and other control characters are dropped by the engine, with a notice.
        self.fields["q"].validators = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError("The “From” date is after the “To” date.")
        return data


class ArticleForm(forms.Form):
    title = forms.CharField(
        label="Title",
        strip=False,
        min_length=settings.COMMUNITY_TITLE_MIN_LENGTH,
        max_length=settings.COMMUNITY_TITLE_MAX_LENGTH,
        help_text="What a customer would search for.",
    )
    summary = forms.CharField(
        label="Summary",
        strip=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two sentences: the answer in short. Shown in lists and search.",
    )
    body = BodyField(
        min_length=settings.COMMUNITY_BODY_MIN_LENGTH,
        max_length=settings.COMMUNITY_BODY_MAX_LENGTH * 2,
        help_text="Markdown. Prefilled from the question and its accepted answer: rewrite it as a guide.",
    )
    tags = TagsField(label="Tags")
    review_by = forms.DateField(
        label="Review by",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="After this date support staff are reminded to check the article is still true.",
    )
    note = forms.CharField(label="Edit note", required=False, max_length=300)

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"]
        not_blank(title, "The title")
        return title

    def clean_summary(self) -> str:
        summary: str = self.cleaned_data["summary"]
        not_blank(summary, "The summary")
        return summary

    def clean_review_by(self) -> Any:
        value = self.cleaned_data["review_by"]
        if value < timezone.localdate():
            raise forms.ValidationError("The review date cannot be in the past.")
        return value


class ArticleFeedbackForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes"
    )
    comment = forms.CharField(
        label="What was missing or wrong? (optional)",
        required=False,
        strip=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ArticleFilterForm(forms.Form):
    tag = forms.CharField(required=False, max_length=100)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices)
    detail = forms.CharField(required=False, max_length=500, strip=False)
    duplicate_of = forms.ModelChoiceField(queryset=Question.objects.filter(is_deleted=False), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == FlagReason.OTHER and not (data.get("detail") or "").strip():
            self.add_error("detail", "Say what is wrong.")
        if data.get("reason") == FlagReason.DUPLICATE and not data.get("duplicate_of"):
            self.add_error("duplicate_of", "Give the question it duplicates.")
        return data


class SuspendForm(forms.Form):
    days = forms.IntegerField(min_value=1, max_value=365)
    reason = forms.CharField(max_length=300, strip=False)

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"]
        not_blank(reason, "The reason")
        return reason


class SitePageForm(forms.Form):
    title = forms.CharField(label="Title", strip=False, max_length=200)
    body = BodyField(min_length=20, max_length=50_000, help_text="Markdown.")

    def clean_title(self) -> str:
        return not_blank(self.cleaned_data["title"], "Title")


class TeamProfileForm(forms.Form):
    job_title = forms.CharField(label="Job title", strip=False, max_length=120)
    owns = forms.CharField(
        label="What you look after",
        strip=False,
        max_length=300,
        required=False,
        help_text="For example: billing, invoices and refunds.",
    )
    bio = forms.CharField(
        label="A few words about you",
        strip=False,
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    listed = forms.BooleanField(label="Show my card on the team page", required=False, initial=True)

    def clean_job_title(self) -> str:
        return not_blank(self.cleaned_data["job_title"], "Job title")
