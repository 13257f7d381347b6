"""Show times in the member's own time zone (stored times are always UTC)."""

import zoneinfo
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject


class UserTimezoneMiddleware:
    """Also hands the views the user itself instead of the lazy wrapper the
    authentication middleware set (it needs the user here anyway): every permission
    check a page makes reads the user's attributes, dozens of times per answer, and
    each read through the wrapper costs a proxy call."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if isinstance(user, SimpleLazyObject):
            bool(user.is_authenticated)  # reading it loads the user
            request.user = user = user._wrapped  # type: ignore[attr-defined]
        if user is not None and user.is_authenticated and user.time_zone != "UTC":
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


NUL_REFUSAL = "That address contains a NUL character (%00), which no page here has. Check the link."


class RefuseNulMiddleware:
    """An address whose path has a NUL character is answered 400 at once: no page has one,
    and PostgreSQL refuses NUL in any text it is handed (a username looked up from the
    path would be a 500). Query parameters and form fields are the views' and forms' to
    answer (search leaves control characters out and says so; forms show the error
    beside the field and keep the rest of the text)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            return render(request, "400.html", {"reason": NUL_REFUSAL}, status=400)
        return self.get_response(request)
