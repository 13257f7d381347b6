"""The coaching queue (advocates and support staff), publishing a coached question, and
the coaching policy (support staff)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.coaching import policy, publish, set_policy
from community.forms import CoachingPolicyForm
from community.models import Question
from community.views.helpers import viewer


@login_required
def coaching_queue_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_coach(user)
    waiting = (
        Question.objects.visible_to(user)
        .filter(in_coaching=True, is_deleted=False)
        .select_related("author", "category")
        .annotate(coaching_comments=Count("comments", filter=Q(comments__is_deleted=False)))
        .order_by("coaching_ends_at", "pk")
    )
    page = Paginator(waiting, settings.COMMUNITY_QUESTIONS_PER_PAGE).get_page(request.GET.get("page") or 1)
    return render(request, "community/coaching.html", {"page": page, "policy": policy()})


@login_required
@require_POST
def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_coach(user)
    question = get_object_or_404(Question.objects.visible_to(user), pk=pk)
    if publish(question, by=user):
        messages.success(request, "Published: the community can answer it now.")
    else:
        messages.info(request, "It was already published.")
    return redirect(question)


@login_required
def coaching_settings_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_edit_site_pages(user)
    current = policy()
    if request.method != "POST":
        initial = {
            "mode": current.mode,
            "accepted_posts": current.accepted_posts,
            "timeout_hours": current.timeout_hours,
        }
        return render(
            request, "community/coaching_settings.html", {"form": CoachingPolicyForm(initial=initial)}
        )
    form = CoachingPolicyForm(request.POST)
    if not form.is_valid():
        return render(request, "community/coaching_settings.html", {"form": form}, status=400)
    set_policy(**form.cleaned_data, by=user)
    messages.success(request, "Coaching policy saved.")
    return redirect("community:coaching")
