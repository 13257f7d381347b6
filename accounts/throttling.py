"""Who is trying to log in, and from where: for django-axes' lockout and allauth's limits.

- The username: allauth hands ``authenticate`` a ``username`` or an ``email`` (the login
  form's field is ``login``); axes looked for neither and recorded every failure under an
  empty name, so its lockout never applied.
- The client address: behind a reverse proxy every request comes from the proxy, and a
  per-address limit becomes a site-wide one. With ``ASKWELL_TRUSTED_PROXY_COUNT`` proxies
  in front, the client is the entry that many places from the right of
  ``X-Forwarded-For`` (the ones the proxies appended, not what the client claims).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str:
    count = settings.ASKWELL_TRUSTED_PROXY_COUNT
    if count > 0:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return str(request.META.get("REMOTE_ADDR", ""))


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    given = credentials or {}
    name = given.get("username") or given.get("email") or request.POST.get("login", "")
    return str(name).strip().lower()
