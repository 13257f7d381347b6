"""The writes accounts owns: a member's own profile. (Roles are granted in the admin and
announced through ``accounts.hooks``; reputation, MVP terms and suspensions are written by
community's actions.)"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import ApiToken, TokenScope, User

PROFILE_FIELDS = ("display_name", "bio", "avatar", "title", "company", "website", "time_zone")


@transaction.atomic
def update_profile(user: User, *, changes: Mapping[str, Any]) -> User:
    """Save the profile fields a member edits themselves (validated by ``ProfileForm``):
    text as typed, the time zone, and the avatar (an upload replaces it, ``False`` clears
    it). Nothing else on the row changes."""
    unknown = set(changes) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    for name, value in changes.items():
        # Each field's own form-data rule (a cleared avatar becomes empty, for example).
        User._meta.get_field(name).save_form_data(user, value)  # type: ignore[union-attr]
    user.save(update_fields=list(changes))
    return user


TOKEN_PREFIX = "aw_"  # noqa: S105 (a marker that tells an Askwell token apart, not a secret)


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


@transaction.atomic
def create_api_token(user: User, *, name: str, scopes: list[str]) -> tuple[ApiToken, str]:
    """A new token and its secret (shown once: only its digest is kept)."""
    if not user.is_active:
        raise ValueError("An inactive account cannot hold tokens.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:10], digest=token_digest(secret),
        scopes=sorted(set(scopes) & set(TokenScope.values)), created_at=timezone.now(),
    )  # fmt: skip
    return token, secret


def revoke_api_token(token: ApiToken, *, by: User) -> bool:
    """Revoke one's own token (True when it was still active)."""
    if token.user_id != by.pk:
        raise PermissionDenied("That token is not yours.")
    return bool(
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    )


def touch_api_token(token: ApiToken, *, every: timedelta) -> None:
    """Note when a token was last used (at most once per ``every``: not a write per call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > every:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
