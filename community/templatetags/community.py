"""Template helpers: permission booleans, JSON-LD, diff chunks."""

from __future__ import annotations

import functools
import json
from typing import Any

from django import template
from django.core.exceptions import PermissionDenied
from django.utils.html import format_html, format_html_join
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


@register.simple_tag
def member(m: Any) -> SafeString:
    """A member's name with their rank and reputation, and any appointed role, everywhere
    a name shows (a tag, not an include: a thread page shows dozens of them)."""
    rank = m.rank.name
    badges = format_html_join(
        "", ' <span class="role-badge">{}</span>', ((badge,) for badge in m.role_badges)
    )
    return format_html(
        '<span class="member"><a href="{}">{}</a> <span class="rank" title="{}, reputation {}">{} · {}</span>'
        "{}</span>",
        m.get_absolute_url(), m.public_name, rank, m.reputation, rank, m.reputation, badges,
    )  # fmt: skip


@register.simple_tag(takes_context=True)
def answer_block(context: template.Context, answer: Any) -> SafeString:
    """One answer of a thread page: the stored block when this reader would see the same
    one (community/fragments.py), otherwise ``community/_answer.html`` rendered and stored."""
    from community import fragments

    key = getattr(answer, "fragment_key", None)
    html = (context.get("answer_blocks") or {}).get(key) if key else None
    if html is None:
        block = context.template.engine.get_template("community/_answer.html")  # type: ignore[union-attr]
        with context.push(answer=answer, csrf_token=fragments.CSRF_MARKER):
            html = block.render(context)
        if key:
            fragments.store_block(key, html)
    if fragments.CSRF_MARKER in html:  # a visitor's block has no form: no token asked for, no cookie
        html = html.replace(fragments.CSRF_MARKER, str(context.get("csrf_token", "")))
    return mark_safe(html)  # noqa: S308 (rendered by our template)


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


_FLAG_FORM = """<details class="flag">
  <summary>Flag</summary>
  <form method="post" action="{action}"><input type="hidden" name="csrfmiddlewaretoken" value="{token}">
    <fieldset><legend>What is wrong with it?</legend>
      {reasons}
    </fieldset>
    <label for="flag-detail-{key}">Details (needed for “something else”)</label>
    <input id="flag-detail-{key}" name="detail" maxlength="500">
    <label for="flag-dup-{key}">Number of the original (for duplicates)</label>
    <input id="flag-dup-{key}" name="duplicate_of" inputmode="numeric" maxlength="18">
    <button type="submit">Flag</button>
  </form>
</details>"""


@functools.cache
def _flag_reasons() -> SafeString:
    """The reasons' radio buttons: the same under every post, so made once per process."""
    from community.models import FlagReason

    return format_html_join(
        "", '<label><input type="radio" name="reason" value="{}" required> {}</label>', FlagReason.choices
    )


@register.simple_tag(takes_context=True)
def flag_form(context: template.Context, post: Any, kind: str) -> SafeString:
    """The "Flag" disclosure under a post or comment, for those who may flag it (a tag,
    not an include: a thread page has one per post and per comment)."""
    from django.urls import reverse

    if not permissions.can_flag(context["user"], post):
        return SafeString("")
    action = reverse("community:comment_flag" if kind == "comment" else "community:flag", kwargs=(
        {"pk": post.pk} if kind == "comment" else {"kind": kind, "pk": post.pk}))  # fmt: skip
    return format_html(
        _FLAG_FORM,
        action=action,
        token=context.get("csrf_token", ""),
        reasons=_flag_reasons(),
        key=f"{kind}-{post.pk}",
    )


@register.filter
def is_idea(question: Any) -> bool:
    """Feedback ideas say "me too" where other threads say "I have this too"."""
    return extensions.is_idea(question)


@register.simple_tag
def search_notice() -> str:
    """Why search is lexical only, or "" (the admin's index shows it)."""
    from community.search.embeddings import status

    return status()
