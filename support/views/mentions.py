"""The mentions inbox (support staff only) and the listening tool's webhook."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from support import triage
from support.actions import mentions as actions
from support.forms import MentionFilterForm, MentionImportForm, MentionReplyForm, MentionThreadForm
from support.models import Mention, MentionState
from support.views.helpers import staff_member

WEBHOOK_MAX_BYTES = 1_000_000


@login_required
def inbox_view(request: HttpRequest, **forms: Any) -> HttpResponse:
    staff_member(request)
    form = MentionFilterForm(request.GET)
    if not form.is_valid():
        return render(
            request, "support/mentions.html", {"form": form, "import_form": MentionImportForm()}, status=400
        )
    data = form.cleaned_data
    mentions = Mention.objects.filter(inbound=True).select_related("member", "question")
    if data["state"] != "all":
        mentions = mentions.filter(state=data["state"] or MentionState.NEW)
    if data["negative"]:
        mentions = mentions.filter(tone__lte=triage.NEGATIVE)
    if data["vip"]:
        mentions = mentions.filter(member__is_vip=True)
    # VIPs first, then the unhappiest, then the newest.
    ordered = mentions.order_by(
        F("member__is_vip").desc(nulls_last=True), F("tone").asc(nulls_last=True), "-created_at", "-pk"
    )
    page = Paginator(ordered, settings.COMMUNITY_QUESTIONS_PER_PAGE)
    query = {k: v for k, v in data.items() if v and k != "page"}
    context = {
        "form": form,
        "page": page.get_page(data["page"] or 1),
        "query": query,
        "import_form": forms.get("import_form") or MentionImportForm(),
        "result": forms.get("result"),
    }
    return render(request, "support/mentions.html", context, status=forms.get("status", 200))


@login_required
@require_POST
def import_view(request: HttpRequest) -> HttpResponse:
    staff_member(request)
    form = MentionImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return inbox_view(request, import_form=form, status=400)
    upload = form.cleaned_data["file"]
    if upload.size > settings.SUPPORT_MENTIONS_MAX_UPLOAD_MB * 1024 * 1024:
        form.add_error(
            "file", f"The file is larger than {settings.SUPPORT_MENTIONS_MAX_UPLOAD_MB} MB: split it."
        )
        return inbox_view(request, import_form=form, status=413)
    try:
        result = actions.import_csv(upload.read(), source=form.cleaned_data["source"])
    except actions.MentionError as refused:
        form.add_error("file", str(refused))
        return inbox_view(request, import_form=form, status=400)
    return inbox_view(request, result=result)


def _mention(request: HttpRequest, pk: int) -> Mention:
    staff_member(request)
    return get_object_or_404(Mention.objects.select_related("member", "question", "replied_by"), pk=pk)


@login_required
def mention_view(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    mention = _mention(request, pk)
    first_line = " ".join(mention.text.split())
    context = {
        "mention": mention,
        "conversation": actions.conversation(mention),
        "reply_form": forms.get("reply_form") or MentionReplyForm(prefix="reply"),
        "thread_form": forms.get("thread_form")
        or MentionThreadForm(prefix="thread", initial={"title": first_line[:120]}),
    }
    return render(request, "support/mention.html", context, status=forms.get("status", 200))


@login_required
@require_POST
def reply_view(request: HttpRequest, pk: int) -> HttpResponse:
    mention = _mention(request, pk)
    form = MentionReplyForm(request.POST, prefix="reply")
    if not form.is_valid():
        return mention_view(request, pk, reply_form=form, status=400)
    actions.reply_to(mention, by=staff_member(request), text=form.cleaned_data["text"])
    messages.success(request, "Reply recorded.")
    return redirect(mention)


@login_required
@require_POST
def monitor_view(request: HttpRequest, pk: int) -> HttpResponse:
    mention = _mention(request, pk)
    actions.monitor(mention, by=staff_member(request))
    messages.success(request, "Left to stand; it stays listed under “Left to stand, monitored”.")
    return redirect(mention)


@login_required
@require_POST
def thread_view(request: HttpRequest, pk: int) -> HttpResponse:
    mention = _mention(request, pk)
    form = MentionThreadForm(request.POST, prefix="thread")
    if not form.is_valid():
        return mention_view(request, pk, thread_form=form, status=400)
    try:
        question = actions.to_thread(
            mention, by=staff_member(request), title=form.cleaned_data["title"],
            category=form.cleaned_data["category"], tags=form.cleaned_data["tags"],
        )  # fmt: skip
    except PermissionDenied as refused:  # a tag that does not exist, say
        form.add_error("tags", str(refused))
        return mention_view(request, pk, thread_form=form, status=400)
    messages.success(request, "The community thread is up: answer it there so the next customer finds it.")
    return redirect(question)


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"status": status, "detail": detail}, status=status)


@csrf_exempt
@require_POST
def webhook_view(request: HttpRequest) -> JsonResponse:
    """Mentions from the listening tool: one object or ``{"mentions": [...]}``, each with
    id, author, text, created_at (ISO 8601), and optionally in_reply_to, inbound (true)
    and source ("webhook"); signed with Standard Webhooks headers."""
    secret = settings.SUPPORT_MENTIONS_WEBHOOK_SECRET
    if not secret:
        return _problem(404, "The mentions webhook is not switched on (SUPPORT_MENTIONS_WEBHOOK_SECRET).")
    body = request.body
    if len(body) > WEBHOOK_MAX_BYTES:
        return _problem(413, f"The body is larger than {WEBHOOK_MAX_BYTES} bytes.")
    headers = {name.lower(): value for name, value in request.headers.items()}
    try:
        hook = Webhook(secret)
    except Exception:  # the library's errors for a bad secret vary
        return _problem(503, "SUPPORT_MENTIONS_WEBHOOK_SECRET is not a valid whsec_ secret.")
    try:
        hook.verify(body, headers, json_parse=False)
    except WebhookVerificationError as refused:
        return _problem(401, f"The signature does not verify: {refused}")
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _problem(400, "The body is not JSON.")
    items = payload.get("mentions", [payload]) if isinstance(payload, dict) else payload
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items) or not items:
        return _problem(400, 'Expected a mention object, a list of them, or {"mentions": [...]}.')
    sources = {str(item.get("source") or "webhook")[:40] for item in items}
    if len(sources) != 1:
        return _problem(400, "Send one channel's mentions per delivery.")
    try:
        result = actions.receive(items, source=sources.pop())
    except actions.MentionError as refused:
        return _problem(400, str(refused))
    status = 200 if result.added or result.already else 400
    return JsonResponse(
        {
            "added": result.added,
            "already": result.already,
            "refused": [{"item": n, "reason": r} for n, r in result.refused],
        },
        status=status,
    )
