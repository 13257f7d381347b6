"""The writes accounts owns: a member's own profile. (Roles are granted in the admin and
announced through ``accounts.hooks``; reputation, MVP terms and suspensions are written by
community's actions.)"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import transaction

from accounts.models import User

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
