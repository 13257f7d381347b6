"""Admins grant roles; support staff may look up members but never grant roles."""

from __future__ import annotations

from typing import Any

from allauth.account.forms import ResetPasswordForm
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import models
from django.db.models import QuerySet
from django.http import HttpRequest

from accounts import hooks
from accounts.models import Plan, User

ROLE_FIELDS = ("is_staff", "is_superuser", "groups", "user_permissions")


def _roles(user: User) -> dict[str, Any]:
    return {
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
    }


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            "Profile",
            {"fields": ("display_name", "bio", "avatar", "title", "company", "website", "time_zone")},
        ),
        (
            "Support",
            {"fields": ("is_vip", "plan", "social_handle")},
        ),
    )
    list_display = ("username", "email", "display_name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_superuser", "is_active", "is_vip", "plan", "groups")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("send_claim_link",)

    @admin.action(description="Send a claim link (set-password email) to imported members")
    def send_claim_link(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """Hand an imported placeholder account to the person it stands for.

        Staff first set the email address the person gave them; this sends the usual
        set-password link there. Until then the account has no password and no email,
        so nobody can sign in as it.
        """
        sent, refused = 0, []
        for user in queryset:
            if user.has_usable_password() or not user.email:
                refused.append(user.username)
                continue
            form = ResetPasswordForm(data={"email": user.email})
            if form.is_valid():
                form.save(request)
                sent += 1
            else:
                refused.append(user.username)
        if sent:
            self.message_user(request, f"Sent {sent} claim link(s).", messages.SUCCESS)
        if refused:
            self.message_user(
                request,
                "Not sent (already claimed, or no email address set yet): " + ", ".join(refused[:20]),
                messages.WARNING,
            )

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        before = User.objects.filter(pk=obj.pk).first() if change else None
        request._roles_before = _roles(before) if before else {}  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Every change of role (groups, staff, admin) is announced (community audits it: who,
        whom, before, after)."""
        super().save_related(request, form, formsets, change)
        user = form.instance
        before, after = getattr(request, "_roles_before", {}), _roles(user)
        if before != after:
            admin_user: User = request.user  # type: ignore[assignment]  # the admin is signed in
            role_change = hooks.RoleChange(
                user, by=admin_user, before=before, after=after, reason="changed in the admin"
            )
            hooks.role_changed(role_change)

    def get_readonly_fields(self, request: HttpRequest, obj: User | None = None) -> tuple[str, ...]:
        readonly = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # Granting roles is an admin's call alone (DESIGN: roles are appointed).
            readonly += ROLE_FIELDS
        return readonly


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    prepopulated_fields = {"slug": ("name",)}
