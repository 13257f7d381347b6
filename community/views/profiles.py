"""Public profiles (a member's standing and activity) and editing one's own profile.

These live in community, not accounts, because they show community content; accounts
stays free of community imports (apps depend one way: community → accounts).
"""

from __future__ import annotations

from datetime import timedelta
from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.db.models import Q, Sum
from django.db.models.functions import TruncDate
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from accounts.actions import create_api_token, revoke_api_token, update_profile
from accounts.forms import ProfileForm
from accounts.models import User
from accounts.ranks import next_rank, progress_to_next
from community import permissions
from community.actions.member_data import delete_account, export_data
from community.actions.suspensions import lift_suspension, suspend_member
from community.charts import cumulative_by_day, reputation_chart
from community.forms import ApiTokenForm, SuspendForm
from community.models import BadgeAward, ImportedUser, MvpTerm, ReputationEvent
from community.pagecache import stored_page
from community.querysets import profile_activity
from community.views.helpers import viewer

CHART_DAYS = 180


@stored_page
def profile_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User.objects.prefetch_related("groups"), username=username, is_active=True)
    questions, answers = profile_activity(member, viewer=request.user)
    badges = BadgeAward.objects.filter(user=member).order_by("badge", "qualifier")
    ledger = ReputationEvent.objects.filter(user=member).select_related("question", "answer__question")
    if not (request.user.pk == member.pk or permissions.can_see_private(request.user)):
        # A private thread's title is its asker's and staff's only.
        ledger = ledger.exclude(
            Q(question__is_private=True) | Q(answer__question__is_private=True) | Q(answer__is_private=True)
        )
    ledger = ledger[:20]
    today = timezone.now().date()
    start = max(member.date_joined.date(), today - timedelta(days=CHART_DAYS))
    daily = dict(
        ReputationEvent.objects.filter(user=member)
        .annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(points=Sum("points"))
        .values_list("day", "points")
    )
    series = cumulative_by_day(daily, start=start, end=today)
    return render(
        request,
        "community/profile.html",
        {
            "member": member,
            "placeholder": ImportedUser.objects.filter(user=member).select_related("site").first(),
            "questions": questions,
            "answers": answers,
            "ledger": ledger,
            "badges": badges,
            "mvp_terms": MvpTerm.objects.filter(member=member).order_by("-starts_at"),
            "next_rank": next_rank(member.reputation),
            "progress": progress_to_next(member.reputation),
            "chart": mark_safe(reputation_chart(series, title="", nonce=str(request.csp_nonce))),  # type: ignore[attr-defined]  # noqa: S308 (pygal SVG of our own numbers and dates)
            "chart_summary": f"From {series[0][1]} on {series[0][0]:%b %-d, %Y} to {series[-1][1]} today.",
        },
    )


@login_required
def profile_edit_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required guarantees a real user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            update_profile(user, changes=form.cleaned_data)
            messages.success(request, "Your profile was saved.")
            return redirect(user.get_absolute_url())
        return render(request, "community/profile_edit.html", {"form": form}, status=400)
    return render(request, "community/profile_edit.html", {"form": ProfileForm(instance=user)})


@login_required
@require_POST
def suspend_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a period of 1 to 365 days and the reason the member will see.")
        return redirect(member)
    suspend_member(
        member, by=viewer(request), days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
    )
    messages.success(request, f"{member.public_name} is suspended for {form.cleaned_data['days']} day(s).")
    return redirect(member)


@login_required
@require_POST
def unsuspend_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    lift_suspension(member, by=viewer(request))
    messages.success(request, f"{member.public_name} can write again.")
    return redirect(member)


@login_required
def my_data_view(request: HttpRequest) -> HttpResponse:
    """Everything the member put here, as a JSON download."""
    member = cast(User, request.user)
    response = JsonResponse(export_data(member), json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="askwell-{member.username}.json"'
    return response


@login_required
def delete_account_view(request: HttpRequest) -> HttpResponse:
    member = cast(User, request.user)
    if request.method != "POST":
        return render(request, "community/delete_account.html", {})
    if request.POST.get("confirm", "").strip() != member.username:
        messages.error(request, "Type your username exactly to confirm.")
        return render(request, "community/delete_account.html", {}, status=400)
    delete_account(member)
    logout(request)
    messages.success(request, "Your account is deleted. Your posts stay, attributed to a deleted user.")
    return redirect("community:home")


@login_required
def tokens_view(request: HttpRequest) -> HttpResponse:
    """Personal API tokens: make one (its secret is shown once, on this page only), see
    when each was last used, revoke any."""
    user = cast(User, request.user)
    secret = ""
    form = ApiTokenForm()
    if request.method == "POST":
        form = ApiTokenForm(request.POST)
        if form.is_valid():
            scopes = form.cleaned_data["scopes"]
            if "staff" in scopes and not permissions.can_use_staff_api(user):
                form.add_error("scopes", "The staff scope is for support staff and product managers.")
            else:
                _, secret = create_api_token(user, name=form.cleaned_data["name"], scopes=scopes)
                form = ApiTokenForm()
    status = 400 if form.errors else 200
    context = {"form": form, "secret": secret, "tokens": user.api_tokens.all()}
    response = render(request, "community/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the secret must not be kept anywhere
    return response


@login_required
@require_POST
def revoke_token_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = cast(User, request.user)
    token = get_object_or_404(user.api_tokens.all(), pk=pk)
    if revoke_api_token(token, by=user):
        messages.success(request, f"Revoked “{token.name}”: it no longer works.")
    return redirect("community:tokens")
