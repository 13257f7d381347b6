from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from community.models import Question

_QUESTION_REFERENCE = re.compile(r"^\s*(?:\S*/questions/)?(\d{1,18})(?:/\S*)?\s*$")


def viewer(request: HttpRequest) -> Any:
    """The request's user (a ``User`` or ``AnonymousUser``), typed loosely for the actions,
    which check permissions themselves."""
    return request.user


def posted_text(request: HttpRequest, name: str, *, max_length: int = 500) -> tuple[str, str]:
    """A short free text posted beside an action (a close note, a lock reason, a review
    note) and what is wrong with it ("" when nothing): a NUL character or text over the
    limit is refused with the form field's own message, never cut or dropped."""
    raw = request.POST.get(name, "")
    try:
        return forms.CharField(required=False, max_length=max_length, strip=False).clean(raw), ""
    except ValidationError as error:
        return raw, error.messages[0]


def invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Re-show a form with its errors and a 400, keeping everything the user typed."""
    return render(request, template, context, status=400)


def question_by_reference(request: HttpRequest, text: str) -> Question | None:
    """The question a member means by its number or its link (one they may see), if any."""
    from community.models import Question

    match = _QUESTION_REFERENCE.match(text or "")
    if match is None:
        return None
    return Question.objects.visible_to(request.user).filter(pk=int(match.group(1))).first()


def after_edit(request: HttpRequest, post: Any) -> Any:
    """Where an edit goes next: back to the review item it was made from (``?review=<n>``,
    an open item about this post), or to the post."""
    from community.models import ReviewItem
    from community.models.moderation import on_post

    raw = request.GET.get("review", "")
    if raw.isdigit() and len(raw) < 19:
        item = ReviewItem.objects.open().filter(pk=int(raw), **on_post(post)).first()
        if item is not None:
            return item
    return post


def close_request(request: HttpRequest, question: Question) -> tuple[str, Question | None, str]:
    """The reason and (for a duplicate) the original a close form names, and the problem
    to tell the member when it names none: (reason, original, problem)."""
    from community.models import CloseReason

    reason = request.POST.get("reason", "")
    if reason not in CloseReason.values:
        return reason, None, "Choose why it should be closed."
    if reason != CloseReason.DUPLICATE:
        return reason, None, ""
    original = question_by_reference(request, request.POST.get("duplicate_of", ""))
    if original is None or original.pk == question.pk:
        return reason, None, "Give the number or the link of the question it duplicates."
    return reason, original, ""


def session_key(request: HttpRequest) -> str:
    """The visitor's session, made now if they have none: for a form they chose to send."""
    if not request.session.session_key:
        request.session.save()
    return request.session.session_key or ""


def reader_key(request: HttpRequest) -> str | None:
    """Who a GET's deflection event is about: "" for a member (the event names them), the
    session an anonymous visitor already has, or None for a visitor without one (a crawler,
    a first visit), whose GETs must write nothing: no session row, no event."""
    if request.user.is_authenticated:
        return request.session.session_key or ""
    return request.session.session_key or None
