"""What reputation means here: ranks, privileges, and where a member stands."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.ranks import next_rank, progress_to_next, rank_for, ranks
from accounts.roles import is_appointed_advocate
from community import permissions
from community.badges import BADGES, BY_SLUG, TAG_BADGE
from community.forms import LeaderboardForm
from community.models import BadgeAward
from community.pagecache import stored_page
from community.querysets import LEADERBOARD_PERIODS, leaderboard
from community.reputation import privileges
from community.views.helpers import viewer


@stored_page
def privileges_view(request: HttpRequest) -> HttpResponse:
    """Every rank and privilege with its threshold; for a member, what they hold and why."""
    user = viewer(request)
    reputation = user.reputation if user.is_authenticated else None
    rows = [
        {"privilege": p, "held": user.is_authenticated and permissions.holds(user, p.key)}
        for p in privileges()
    ]
    context = {
        "ranks": ranks(),
        "rows": rows,
        "reputation": reputation,
        "rank": rank_for(reputation) if reputation is not None else None,
        "next_rank": next_rank(reputation) if reputation is not None else None,
        "progress": progress_to_next(reputation) if reputation is not None else 0,
        "appointed": user.is_authenticated and is_appointed_advocate(user),
        "next_privilege": next((r["privilege"] for r in rows if not r["held"]), None),
        "points": settings.COMMUNITY_REPUTATION_POINTS,
        "cap": settings.COMMUNITY_REPUTATION_DAILY_VOTE_CAP,
    }
    upcoming = context["next_rank"]
    context["to_next"] = upcoming.threshold - reputation if upcoming and reputation is not None else 0
    return render(request, "community/privileges.html", context)


@stored_page
def leaderboard_view(request: HttpRequest) -> HttpResponse:
    form = LeaderboardForm(request.GET)
    if not form.is_valid():
        return render(request, "community/leaderboard.html", {"form": form}, status=400)
    period = form.cleaned_data["period"] or "week"
    tag = form.cleaned_data["tag"]
    rows = leaderboard(period=period, tag=tag)
    return render(
        request,
        "community/leaderboard.html",
        {"form": form, "rows": rows, "period": period, "tag": tag, "periods": LEADERBOARD_PERIODS},
    )


@stored_page
def badge_list_view(request: HttpRequest) -> HttpResponse:
    counts = dict(
        BadgeAward.objects.values("badge").annotate(n=Count("user", distinct=True)).values_list("badge", "n")
    )
    badges = [(badge, counts.get(badge.slug, 0)) for badge in [*BADGES, TAG_BADGE]]
    return render(
        request,
        "community/badge_list.html",
        {"badges": badges, "tag_badge_threshold": settings.COMMUNITY_TAG_BADGE_ACCEPTED_ANSWERS},
    )


@stored_page
def badge_detail_view(request: HttpRequest, slug: str) -> HttpResponse:
    badge = BY_SLUG.get(slug)
    if badge is None:
        raise Http404("No such badge")
    awards = BadgeAward.objects.filter(badge=slug).select_related("user").prefetch_related("user__groups")
    page = Paginator(awards, 60).get_page(request.GET.get("page"))
    return render(request, "community/badge_detail.html", {"badge": badge, "page": page})
