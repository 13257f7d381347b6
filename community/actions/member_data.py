"""A member's own data: download it as JSON, or delete the account.

Deleting keeps the posts (they belong to the threads others rely on), attributed to
"Deleted user"; the personal data (names, email addresses, profile, avatar) is erased and
the account can never sign in again. Ledger, vote and audit rows keep their foreign keys,
so totals and history stay consistent.
"""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from community.actions.audit import audit
from community.models import Answer, Comment, Question, Vote


def export_data(user: User) -> dict[str, Any]:
    def when(value: Any) -> str | None:
        return value.isoformat() if value else None

    return {
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "username": user.username,
            "display_name": user.display_name,
            "email": user.email,
            "bio": user.bio,
            "title": user.title,
            "company": user.company,
            "website": user.website,
            "time_zone": user.time_zone,
            "reputation": user.reputation,
            "joined": when(user.date_joined),
        },
        "questions": [
            {
                "id": q.pk,
                "title": q.title,
                "body": q.body,
                "created_at": when(q.created_at),
                "deleted": q.is_deleted,
            }
            for q in Question.objects.filter(author=user).order_by("pk")
        ],
        "answers": [
            {"id": a.pk, "question_id": a.question_id, "body": a.body, "created_at": when(a.created_at)}
            for a in Answer.objects.filter(author=user).order_by("pk")
        ],
        "comments": [
            {"id": c.pk, "body": c.body, "created_at": when(c.created_at)}
            for c in Comment.objects.filter(author=user).order_by("pk")
        ],
        "votes": [
            {
                "question_id": v.question_id,
                "answer_id": v.answer_id,
                "value": v.value,
                "at": when(v.created_at),
            }
            for v in Vote.objects.filter(user=user).order_by("pk")
        ],
    }


@transaction.atomic
def delete_account(user: User) -> None:
    """Erase the member's personal data and retire the account; their posts stay."""
    audit("account_deleted", user, by=user, reason="deleted by the member")
    if user.avatar:
        user.avatar.delete(save=False)
    EmailAddress.objects.filter(user=user).delete()
    user.username = f"deleted-{user.pk}"
    user.display_name = "Deleted user"
    user.first_name = user.last_name = ""
    user.email = ""
    user.bio = user.title = user.company = user.website = ""
    user.avatar = ""
    user.is_active = False
    user.is_vip = False
    user.set_unusable_password()
    user.save()
