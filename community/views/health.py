"""``/health/`` for orchestrators and uptime checks: 200 with a JSON report when every
dependency answers, 503 when one does not. Public, never cached, no secrets in it."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from community.health import report


@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    found = report()
    return JsonResponse(found, status=200 if found["status"] == "ok" else 503)
