"""The page cache: a page is rendered once and served from the cache until something it
shows changes, to visitors without a session and to each signed-in member.

Most readers arrive from a search engine, signed out, read one thread and leave; they all
see the same page. A view opts in with ``@stored_page``. ``AnonymousPageCacheMiddleware``
serves one stored copy to any GET that carries no session and no messages cookie, and
stores what such a request rendered when nothing in it was personal.
``MemberPageCacheMiddleware`` does the same below authentication for a signed-in member,
one copy per member and session, with their CSRF token and the CSP nonce put in anew on
every serve.

Freshness is one number, the *generation*, kept in the same cache as the pages. Every
committed write to a table that a page reads bumps it (the write watcher below sees every
INSERT, UPDATE and DELETE the ORM sends, from views, actions, the admin, Celery tasks and
management commands alike, and bumps once per transaction, after it commits), and the
search worker bumps it after it changes the index. A stored page remembers the generation
it was rendered under (read before the view ran, so a write that commits while it renders
makes the copy stale, never wrong) and is served only while that is still current: the
next view after any write through the site reflects it, for visitors and members alike.
Relative times ("5 minutes ago") can lag by at most ``COMMUNITY_PAGE_CACHE_SECONDS``, as
can anything while the cache was unreachable (bumps are dropped then, and copies expire
after that long).

What is never stored: a response that sets a cookie of the view's own, one that is not a
200, any response a view marked with ``skip()`` (search when the index is down), an htmx
partial, and a page with a flash message. For visitors also: anything for a signed-in
member and anything that used a CSRF token (it has a form with the visitor's token in
it). The page's CSP nonce is replaced by a fresh one on every serve. Copies carry an ETag
(a matching If-None-Match gets a 304) and ``Cache-Control: no-cache``; visitors' copies
carry no ``Vary: Cookie`` (the page is the same for everyone without a session),
members' are ``private``.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import time
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import transaction
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotModified
from django.middleware.csrf import (  # type: ignore[attr-defined]  # (not in the stubs)
    CSRF_TOKEN_LENGTH,
    _unmask_cipher_token,
    get_token,
)
from django.utils.cache import patch_cache_control

T = TypeVar("T")
GENERATION_KEY = "askwell:pages:generation"
NONCE_MARKER = "\x00askwell-csp-nonce\x00"  # a NUL never occurs in a rendered page
CSRF_MARKER = "\x00askwell-page-csrf\x00"
_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{%d}(?![A-Za-z0-9])" % CSRF_TOKEN_LENGTH)
_SKIP = "_askwell_page_cache_skip"
_CACHEABLE = "_askwell_page_cacheable"

# Tables whose writes no cached page shows: sessions and caches, login throttling, the
# outbox's bookkeeping, notifications and deflection events (signed-in or invisible).
# Anything not listed invalidates: a new table errs on the side of fresh pages.
IGNORED_TABLES = frozenset(
    {
        "django_session",
        "django_admin_log",
        "axes_accessattempt",
        "axes_accessfailurelog",
        "axes_accesslog",
        "community_outboxitem",
        "community_notification",
        "community_deflectionevent",
    }
)
_WRITE = re.compile(r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+[`"]?(\w+)', re.IGNORECASE)


def enabled() -> bool:
    return settings.COMMUNITY_PAGE_CACHE_SECONDS > 0


def _cache() -> Any:
    return caches[settings.COMMUNITY_PAGE_CACHE]


# --- Writes: the generation ------------------------------------------------------------


def bump() -> str:
    """Every stored page (and every value kept ``until_next_write``) is stale from now on.
    Returns the new generation."""
    generation = f"{time.time_ns()}-{os.getpid()}"
    _cache().set(GENERATION_KEY, generation, timeout=None)
    return generation


_kept: dict[str, tuple[Any, Any]] = {}


def until_next_write(name: str, load: Callable[[], T]) -> T:
    """``load()``, kept by this process until the next write anywhere on the site: for
    small tables every page reads (support's feedback kinds). Never kept from inside a
    transaction, which may see rows that are not committed (or never will be)."""
    if transaction.get_connection().in_atomic_block:
        return load()
    generation = _cache().get(GENERATION_KEY)
    kept = _kept.get(name)
    if generation is not None and kept is not None and kept[0] == generation:
        return kept[1]  # type: ignore[no-any-return]
    value = load()
    if generation is not None:
        _kept[name] = (generation, value)
    return value


def _ignored_tables() -> frozenset[str]:
    # A database-backed cache's own table (the embedded default cache) is bookkeeping too.
    tables = {
        str(config["LOCATION"])
        for config in settings.CACHES.values()
        if str(config.get("BACKEND", "")).endswith("DatabaseCache")
    }
    return IGNORED_TABLES | tables


def _bump_after_commit(connection: Any) -> None:
    _kept.clear()  # this process sees its own writes at once, committed or not yet
    if not connection.in_atomic_block:
        bump()  # autocommit: the statement has already committed
    elif not any(entry[1] is bump for entry in connection.run_on_commit):
        transaction.on_commit(bump, using=connection.alias)


def watch_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
    """A database execute wrapper: run the statement, then note a write to a shown table."""
    result = execute(sql, params, many, context)
    if sql[:1] not in "SsWw" and (match := _WRITE.match(sql)) and match.group(1) not in _ignored_tables():
        _bump_after_commit(context["connection"])
    return result


def _install(sender: Any, connection: Any, **kwargs: Any) -> None:
    if watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(watch_writes)


def start_watching() -> None:
    """Called once, from community's AppConfig.ready()."""
    connection_created.connect(_install, dispatch_uid="askwell-page-cache-writes")


# --- Reads: views opt in, the middlewares serve -----------------------------------------


def stored_page(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """This view's page may be stored: one copy for every visitor without a session, and
    one per signed-in member's session (see the module)."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if not getattr(request, _SKIP, False):
            setattr(response, _CACHEABLE, True)
        return response

    return wrapped


def skip(request: HttpRequest) -> None:
    """Do not store this response (it shows a passing state, such as search being down)."""
    setattr(request, _SKIP, True)


def _plain_get(request: HttpRequest) -> bool:
    """A whole-page GET that carries no flash message (it is shown once, then gone)."""
    return (
        enabled()
        and request.method == "GET"
        and not request.COOKIES.get(CookieStorage.cookie_name)  # (an emptied one is no message)
        and "HTTP_AUTHORIZATION" not in request.META
        and "HTTP_HX_REQUEST" not in request.META
    )


def _address(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}{request.get_full_path()}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _not_modified(request: HttpRequest, etag: str) -> bool:
    wanted = request.META.get("HTTP_IF_NONE_MATCH", "")
    return bool(wanted) and (wanted.strip() == "*" or etag in [t.strip() for t in wanted.split(",")])


def _csrf_tokens(request: HttpRequest, content: bytes) -> set[bytes]:
    """The reader's CSRF tokens in a rendered page: each is a fresh masking of their
    secret, so a token is recognised by unmasking it, never by where it appears."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not request.META.get("CSRF_COOKIE_USED"):
        return set()
    return {token for token in set(_TOKEN.findall(content)) if _unmask_cipher_token(token.decode()) == secret}


class _PageStore:
    """Serve a stored copy while the generation it was rendered under is current; store
    what a view marked ``@stored_page`` rendered, when ``storable``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def key(self, request: HttpRequest) -> str | None:
        """The copy's key, or None when this request is neither served nor stored."""
        raise NotImplementedError

    def storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        raise NotImplementedError

    def headers(self, response: HttpResponseBase, etag: str) -> None:
        raise NotImplementedError

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            key = self.key(request)
        except Exception:  # a disallowed host: the normal path answers it with its 400
            key = None
        if key is None:
            return self.get_response(request)
        found = _cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY)
        stored = found.get(key)
        if generation is None:  # first use, or the cache was emptied: start a generation
            generation = bump()
        elif stored is not None and stored["generation"] == generation:
            return self._serve(request, stored)
        response = self.get_response(request)
        if (
            isinstance(response, HttpResponse)
            and getattr(response, _CACHEABLE, False)
            and response.status_code == 200
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
            and self.storable(request, response)
        ):
            self._store(request, response, key, generation)
        return response

    def _serve(self, request: HttpRequest, stored: dict[str, Any]) -> HttpResponseBase:
        if _not_modified(request, stored["etag"]):
            response: HttpResponseBase = HttpResponseNotModified()
            self.headers(response, stored["etag"])
            return response
        content = stored["content"]
        if stored["nonce"]:
            content = content.replace(NONCE_MARKER.encode(), str(request.csp_nonce).encode())  # type: ignore[attr-defined]
        if stored["csrf"]:
            content = content.replace(CSRF_MARKER.encode(), get_token(request).encode())
        served = HttpResponse(content, status=200)
        for name, value in stored["headers"]:
            served[name] = value
        served["X-Page-Cache"] = "hit"
        return served

    def _store(self, request: HttpRequest, response: HttpResponse, key: str, generation: Any) -> None:
        content = response.content
        etag = '"' + hashlib.sha256(content).hexdigest()[:32] + '"'
        self.headers(response, etag)
        nonce = getattr(request, "_csp_nonce", None)
        has_nonce = isinstance(nonce, str) and nonce.encode() in content
        if has_nonce:
            content = content.replace(nonce.encode(), NONCE_MARKER.encode())  # type: ignore[union-attr]
        tokens = _csrf_tokens(request, content)
        for token in tokens:
            content = content.replace(token, CSRF_MARKER.encode())
        # CSP is added above both middlewares, on every response, with that response's nonce.
        headers = [
            (name, value)
            for name, value in response.items()
            if name.lower() not in {"content-length", "content-security-policy", "set-cookie"}
        ]
        entry = {
            "generation": generation,
            "etag": etag,
            "content": content,
            "nonce": has_nonce,
            "csrf": bool(tokens),
            "headers": headers,
        }
        _cache().set(key, entry, timeout=settings.COMMUNITY_PAGE_CACHE_SECONDS)
        response["X-Page-Cache"] = "miss"


class AnonymousPageCacheMiddleware(_PageStore):
    """Sits after CSP and WhiteNoise and before sessions: a stored page costs one cache
    read (the page and the generation together) and none of the middleware below. One
    copy serves every visitor without a session."""

    def key(self, request: HttpRequest) -> str | None:
        if not _plain_get(request) or settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None
        return "askwell:page:" + _digest(_address(request))

    def storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        return (
            not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not request.META.get("CSRF_COOKIE_USED")
            and not (user is not None and user.is_authenticated)
            and "private" not in response.get("Cache-Control", "")
        )

    def headers(self, response: HttpResponseBase, etag: str) -> None:
        """The same page for every visitor without a session: no ``Vary: Cookie``."""
        vary = [v.strip() for v in response.get("Vary", "").split(",") if v.strip()]
        vary = [v for v in vary if v.lower() != "cookie"]
        if vary:
            response["Vary"] = ", ".join(vary)
        elif "Vary" in response:
            del response["Vary"]
        response["ETag"] = etag
        patch_cache_control(response, no_cache=True)


class MemberPageCacheMiddleware(_PageStore):
    """Sits below authentication and the member's time zone: a signed-in member's own
    copy of a page, for their session only (the key is the member, the session and the
    address), current under the same generation as visitors' pages. The copy keeps
    neither the reader's CSRF token nor the CSP nonce: each serve puts in current ones.
    Not while a flash message waits to be shown (it would be shown from the copy again)."""

    def key(self, request: HttpRequest) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not _plain_get(request):
            return None
        session = request.session  # type: ignore[attr-defined]
        if not session.session_key or "_messages" in session:
            return None
        return "askwell:member-page:" + _digest(f"{user.pk}\n{session.session_key}\n{_address(request)}")

    def storable(self, request: HttpRequest, response: HttpResponse) -> bool:
        user = getattr(request, "user", None)
        return user is not None and user.is_authenticated

    def headers(self, response: HttpResponseBase, etag: str) -> None:
        response["ETag"] = etag
        patch_cache_control(response, private=True, no_cache=True)
