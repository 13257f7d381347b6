"""Template helpers: permission booleans, JSON-LD, diff chunks."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.utils.safestring import SafeString, mark_safe

from community import extensions, permissions

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag
def can(user: Any, rule: str, obj: Any = None) -> bool:
    """``{% can request.user "edit" answer as may_edit %}`` → permissions.can_edit(user, answer);
    rules about no object in particular take none (``{% can user "nominate_mvp" as ok %}``).
    Support's rules answer too (``{% can user "work_queue" as ok %}``), through the
    permission-rules extension point."""
    check = extensions.permission_rule(rule)
    if check is None:
        raise template.TemplateSyntaxError(f"Unknown permission rule {rule!r}")
    return bool(check(user) if obj is None else check(user, obj))


@register.filter
def json_ld(value: str) -> SafeString:
    """JSON for a <script type="application/ld+json"> block, safe against </script> breaks."""
    if not isinstance(value, str):
        value = json.dumps(value)
    return mark_safe(value.translate(_JSON_ESCAPES))  # noqa: S308 (escaped just above)


@register.simple_tag
def vote_refusal(user: Any, post: Any, value: int) -> str:
    """Why the user may not vote this way on the post ("" when they may), for button titles."""
    if not user.is_authenticated:
        return "Log in to vote"
    try:
        permissions.check_can_vote(user, post, value)
    except PermissionDenied as refusal:
        return str(refusal)
    return ""


@register.simple_tag
def flag_reasons() -> list[tuple[str, str]]:
    from community.models import FlagReason

    return list(FlagReason.choices)


@register.filter
def is_idea(question: Any) -> bool:
    """Feedback ideas say "me too" where other threads say "I have this too"."""
    return extensions.is_idea(question)
