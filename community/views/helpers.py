from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def viewer(request: HttpRequest) -> Any:
    """The request's user (a ``User`` or ``AnonymousUser``), typed loosely for the actions,
    which check permissions themselves."""
    return request.user


def invalid(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Re-show a form with its errors and a 400, keeping everything the user typed."""
    return render(request, template, context, status=400)
