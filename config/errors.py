"""The last word on an unexpected error: a database that is not answering is a 503 that
says so (and shows what was sent, to copy); anything else is Django's plain 500 page.

Neither page touches the database or the cache: both may be what failed.
"""

from __future__ import annotations

import contextlib
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template import loader
from django.views import defaults

RETRY_AFTER_SECONDS = 30
NOT_ECHOED = ("csrfmiddlewaretoken",)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    """handler404: the API's addresses answer a problem detail (RFC 9457), as the API's own
    views do; every other address gets the site's page."""
    if request.path.startswith("/api/"):
        body = {
            "type": "about:blank",
            "title": "Not found",
            "status": 404,
            "detail": "No such address in the API.",
        }
        return JsonResponse(body, status=404, content_type="application/problem+json")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it inside the ``except`` block, so the error is at hand."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    window = settings.COMMUNITY_RESUBMIT_SECONDS  # the same text within it makes one post
    page = loader.get_template("503.html").render({"sent": _sent_text(request), "resubmit_seconds": window})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _sent_text(request: HttpRequest) -> list[tuple[str, str]]:
    """The text fields of a refused post, never a password or the CSRF token."""
    sent: list[tuple[str, str]] = []
    if request.method != "POST":
        return sent
    with contextlib.suppress(Exception):  # a body that cannot be parsed has nothing to show
        for name, values in request.POST.lists():
            if name in NOT_ECHOED or "password" in name:
                continue
            sent.extend((name, value) for value in values if value.strip())
    return sent
