from __future__ import annotations

import re
from typing import Any

from django import forms

from accounts.models import User
from accounts.roles import SUPPORT_STAFF
from community.forms import not_blank
from community.models import Category
from support.models import (
    EscalationState,
    FeedbackStatus,
    IncidentStage,
    IncidentState,
    MentionState,
    ProductTeam,
    Severity,
    WebhookEvent,
)


class EscalateForm(forms.Form):
    reason = forms.CharField(
        label="Why does this need staff?",
        max_length=500,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_reason(self) -> str:
        return not_blank(self.cleaned_data["reason"], "The reason")


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Internal note (staff only)",
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_body(self) -> str:
        return not_blank(self.cleaned_data["body"], "The note")


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Official reply (public, on the thread)",
        min_length=2,
        max_length=20000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )

    def clean_body(self) -> str:
        return not_blank(self.cleaned_data["body"], "The reply")


class IncidentStatusForm(forms.Form):
    stage = forms.ChoiceField(choices=IncidentStage.choices, label="Stage")
    body = forms.CharField(
        label="Official status (public, on every grouped thread)",
        min_length=2,
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_body(self) -> str:
        return not_blank(self.cleaned_data["body"], "The status")


class IncidentTitleForm(forms.Form):
    title = forms.CharField(label="Title (public once a status is posted)", max_length=200, strip=False)

    def clean_title(self) -> str:
        return not_blank(self.cleaned_data["title"], "The title")


class IncidentThreadForm(forms.Form):
    question = forms.CharField(label="Thread to add (its address or number)", max_length=500)

    def clean_question(self) -> int:
        text = self.cleaned_data["question"].strip()
        found = re.search(r"/questions/(\d{1,18})(?!\d)", text) or re.fullmatch(r"#?(\d{1,18})", text)
        if not found:
            raise forms.ValidationError("Give the thread's address (…/questions/123/…) or its number.")
        return int(found.group(1))


class IncidentFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            ("", "Open"),
            *[(value, label) for value, label in IncidentState.choices if value != "open"],
            ("all", "All"),
        ],
        required=False,
    )
    page = forms.IntegerField(min_value=1, max_value=100000, required=False)


class MentionFilterForm(forms.Form):
    state = forms.ChoiceField(
        choices=[
            ("", "New"),
            *[(v, label) for v, label in MentionState.choices if v != "new"],
            ("all", "All"),
        ],
        required=False,
    )
    negative = forms.BooleanField(required=False, label="Unhappy only")
    vip = forms.BooleanField(required=False, label="VIP only")
    page = forms.IntegerField(min_value=1, max_value=100000, required=False)


class MentionImportForm(forms.Form):
    file = forms.FileField(label="CSV export (the Twitter customer-support dataset's columns)")
    source = forms.SlugField(label="Channel", max_length=40, initial="twitter")


class MentionReplyForm(forms.Form):
    text = forms.CharField(
        label="Your reply (recorded here; send it from your listening tool)",
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_text(self) -> str:
        return not_blank(self.cleaned_data["text"], "The reply")


class MentionThreadForm(forms.Form):
    title = forms.CharField(label="Title of the community thread", min_length=10, max_length=150, strip=False)
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    tags = forms.CharField(label="Tags (existing ones, separated by spaces)", max_length=200, required=False)

    def clean_title(self) -> str:
        return not_blank(self.cleaned_data["title"], "The title")

    def clean_tags(self) -> list[str]:
        return [tag.lower() for tag in self.cleaned_data["tags"].split()][:5]


class WebhookEndpointForm(forms.Form):
    url = forms.URLField(label="Address (https://…)", max_length=500, assume_scheme="https")
    description = forms.CharField(label="What it is", max_length=200, required=False)
    events = forms.MultipleChoiceField(
        label="Events to send", choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )


class SeverityForm(forms.Form):
    severity = forms.ChoiceField(choices=Severity.choices)


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=EscalationState.choices)
    note = forms.CharField(required=False, max_length=300)


def staff_members() -> Any:
    return User.objects.filter(is_active=True, groups__name=SUPPORT_STAFF).order_by("username")


class AssignForm(forms.Form):
    to = forms.ModelChoiceField(
        label="Assign to", queryset=User.objects.none(), empty_label="Choose a person"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = staff_members()  # type: ignore[attr-defined]


PRIORITY_BANDS = {"high": (60, 101), "medium": (30, 60), "low": (0, 30)}


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        required=False, choices=[("", "All open"), *EscalationState.choices, ("all", "Every state")]
    )
    category = forms.ModelChoiceField(required=False, queryset=Category.objects.all(), to_field_name="slug")
    priority = forms.ChoiceField(
        required=False, choices=[("", "Any priority"), ("high", "High"), ("medium", "Medium"), ("low", "Low")]
    )
    assignee = forms.CharField(required=False, max_length=150)  # "me", "none", or a username
    breached = forms.BooleanField(required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class GapsForm(forms.Form):
    weeks = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(4, "Last 4 weeks"), (8, "Last 8 weeks"), (13, "Last 13 weeks")],
        empty_value=None,  # the view reads "no choice" as 4 weeks
    )


class DashboardForm(forms.Form):
    period = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(7, "Last 7 days"), (30, "Last 30 days"), (90, "Last 90 days"), (365, "Last year")],
        empty_value=None,  # the view reads "no choice" as 30 days
    )
    since = forms.DateField(required=False, label="From", widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label="To", widget=forms.DateInput(attrs={"type": "date"}))
    format = forms.ChoiceField(required=False, choices=[("", "page"), ("csv", "CSV")])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            raise forms.ValidationError("The “From” date is after the “To” date.")
        if since and until and (until - since).days > 3660:
            raise forms.ValidationError("Choose a period of at most ten years.")
        return data


class FeedbackFilterForm(forms.Form):
    kind = forms.CharField(required=False, max_length=50)
    status = forms.ChoiceField(
        required=False, choices=[("", "Any status"), ("new", "New"), *FeedbackStatus.choices[1:]]
    )
    tag = forms.CharField(required=False, max_length=100)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("demand", "Most demand"),
            ("cost", "Highest support cost"),
            ("age", "Newest"),
            ("trend", "Trending this week"),
        ],
    )
    page = forms.IntegerField(required=False, min_value=1, max_value=10_000)


class FeedbackStatusForm(forms.Form):
    status = forms.ChoiceField(choices=FeedbackStatus.choices[1:])
    response = forms.CharField(
        label="Public response",
        required=False,
        max_length=5000,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class BulkStatusForm(FeedbackStatusForm):
    items = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args: Any, item_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].choices = [(pk, str(pk)) for pk in item_ids]  # type: ignore[attr-defined]


class SendToTeamForm(forms.Form):
    team = forms.ModelChoiceField(queryset=ProductTeam.objects.all(), empty_label="Choose a team")
