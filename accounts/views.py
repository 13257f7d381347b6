"""Public profiles and profile editing."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.forms import ProfileForm
from accounts.models import User
from community.querysets import profile_activity


def profile_view(request: HttpRequest, username: str) -> HttpResponse:
    member = get_object_or_404(User, username=username, is_active=True)
    questions, answers = profile_activity(member, viewer=request.user)
    return render(
        request,
        "accounts/profile.html",
        {"member": member, "questions": questions, "answers": answers},
    )


@login_required
def profile_edit_view(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)  # login_required guarantees a real user
    if request.method == "POST":
        form = ProfileForm(request.POST, request.FILES, instance=user)
        if form.is_valid():
            form.save()
            messages.success(request, "Your profile was saved.")
            return redirect(user.get_absolute_url())
        return render(request, "accounts/profile_edit.html", {"form": form}, status=400)
    return render(request, "accounts/profile_edit.html", {"form": ProfileForm(instance=user)})
