"""Errors as RFC 9457 problem details (``application/problem+json``): type, title,
status, detail, and the fields' errors for a refused form."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM = "application/problem+json"
TITLES = {
    400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found",
    405: "Method not allowed", 406: "Not acceptable", 409: "Conflict", 413: "Too large",
    415: "Unsupported media type", 429: "Too many requests",
}  # fmt: skip


def problem(
    status_code: int, detail: str, *, errors: dict[str, list[str]] | None = None, **headers: str
) -> Response:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = Response(body, status=status_code, content_type=PROBLEM, headers=headers or None)
    return response


REFUSED = "Some fields need another look."


def refused(errors: dict[str, list[str]]) -> Response:
    """A 400 naming each refused field's messages."""
    return problem(400, REFUSED, errors=errors)


def form_refused(form: Any) -> Response:
    """A 400 for a site form that did not validate, with the form's own messages."""
    return refused({field: [str(message) for message in messages] for field, messages in form.errors.items()})


def _detail(data: Any) -> str:
    if isinstance(data, dict) and "detail" in data:
        return str(data["detail"])
    if isinstance(data, list) and data:
        return " ".join(str(item) for item in data)
    return "The request was refused."


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or "Not allowed.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    errors = None
    detail = _detail(response.data)
    if isinstance(exc, exceptions.ValidationError) and isinstance(response.data, dict):
        errors = {key: [str(item) for item in value] if isinstance(value, list) else [str(value)]
                  for key, value in response.data.items()}  # fmt: skip
        detail = REFUSED
    headers = {
        key: value
        for key, value in response.headers.items()
        if key in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return problem(response.status_code or status.HTTP_400_BAD_REQUEST, detail, errors=errors, **headers)
