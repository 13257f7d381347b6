"""The community guidelines, the about page and "meet the team": public pages that
support staff edit in the site."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from accounts.roles import support_staff_members
from community import permissions
from community.actions.pages import page, save_page, save_team_profile
from community.forms import SitePageForm, TeamProfileForm
from community.models import PageSlug, SitePage, TeamProfile
from community.views.helpers import invalid, viewer


def _page_or_404(slug: str) -> SitePage:
    if slug not in PageSlug.values:
        raise Http404("No such page.")
    return page(slug)


def site_page_view(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _page_or_404(slug)
    return render(
        request,
        "community/site_page.html",
        {
            "page": shown,
            "may_edit": permissions.can_edit_site_pages(request.user),
            "edit_url": reverse(f"community:{slug}_edit"),
        },
    )


@login_required
def site_page_edit_view(request: HttpRequest, slug: str) -> HttpResponse:
    shown = _page_or_404(slug)
    permissions.check_can_edit_site_pages(viewer(request))
    context = {"page": shown}
    if request.method != "POST":
        initial = {"title": shown.title, "body": shown.body}
        return render(
            request, "community/site_page_form.html", {**context, "form": SitePageForm(initial=initial)}
        )
    form = SitePageForm(request.POST)
    if not form.is_valid():
        return invalid(request, "community/site_page_form.html", {**context, "form": form})
    save_page(slug, by=viewer(request), title=form.cleaned_data["title"], body=form.cleaned_data["body"])
    messages.success(request, "Page saved.")
    return redirect(reverse(f"community:{slug}"))


def team_view(request: HttpRequest) -> HttpResponse:
    cards = TeamProfile.objects.filter(listed=True, user__in=support_staff_members()).select_related("user")
    return render(
        request,
        "community/team.html",
        {"cards": cards, "may_edit": permissions.can_edit_site_pages(request.user)},
    )


@login_required
def team_edit_view(request: HttpRequest) -> HttpResponse:
    user = viewer(request)
    permissions.check_can_edit_site_pages(user)
    mine = TeamProfile.objects.filter(user=user).first()
    if request.method != "POST":
        initial = (
            {"job_title": mine.job_title, "owns": mine.owns, "bio": mine.bio, "listed": mine.listed}
            if mine
            else {"listed": True}
        )
        return render(request, "community/team_form.html", {"form": TeamProfileForm(initial=initial)})
    form = TeamProfileForm(request.POST)
    if not form.is_valid():
        return invalid(request, "community/team_form.html", {"form": form})
    save_team_profile(user, **form.cleaned_data)
    messages.success(request, "Your card on the team page is saved.")
    return redirect("community:team")
