"""The MVP program: the public list, staff nominations, an admin's decisions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from community import permissions
from community.actions.mvp import award_mvp, decline_nomination, nominate_mvp
from community.forms import MvpAwardForm, MvpNominationForm
from community.models import MvpNomination, MvpTerm, NominationStatus
from community.views.helpers import invalid, viewer


def mvp_list_view(request: HttpRequest) -> HttpResponse:
    terms = MvpTerm.objects.select_related("member").prefetch_related("member__groups").order_by("-starts_at")
    now = timezone.now()
    current = [t for t in terms if t.expired_at is None and t.ends_at > now]
    past = [t for t in terms if not (t.expired_at is None and t.ends_at > now)]
    return render(request, "community/mvp_list.html", {"current": current, "past": past[:100]})


@login_required
def mvp_nominate_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_nominate_mvp(user)
    if request.method != "POST":
        return render(request, "community/mvp_nominate.html", {"form": MvpNominationForm()})
    form = MvpNominationForm(request.POST)
    if not form.is_valid():
        return invalid(request, "community/mvp_nominate.html", {"form": form})
    nominate_mvp(form.cleaned_data["username"], by=user, citation=form.cleaned_data["citation"])
    messages.success(request, "Nomination sent to the admins.")
    return redirect("community:mvp_list")


@login_required
def mvp_nominations_view(request: HttpRequest) -> HttpResponse:
    permissions.check_can_award_mvp(viewer(request))
    pending = MvpNomination.objects.filter(status=NominationStatus.PENDING).select_related(
        "member", "nominated_by"
    )
    return render(request, "community/mvp_nominations.html", {"pending": pending, "form": MvpAwardForm()})


@login_required
@require_POST
def mvp_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_award_mvp(user)
    nomination = get_object_or_404(MvpNomination.objects.select_related("member"), pk=pk)
    if request.POST.get("decision") == "decline":
        decline_nomination(nomination, by=user)
        messages.success(request, "Nomination declined.")
        return redirect("community:mvp_nominations")
    form = MvpAwardForm(request.POST)
    if not form.is_valid():
        pending = MvpNomination.objects.filter(status=NominationStatus.PENDING).select_related(
            "member", "nominated_by"
        )
        return invalid(request, "community/mvp_nominations.html", {"pending": pending, "form": form})
    award_mvp(nomination, by=user, days=form.cleaned_data["days"])
    messages.success(request, f"{nomination.member.public_name} is now an MVP.")
    return redirect("community:mvp_list")
