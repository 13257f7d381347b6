"""Find every form and query parameter of the site by crawling it as a person would, then
send bad input through each: the resilience suite's sweep covers forms added later without
anyone listing them.

A page is visited at most twice per view and query parameter names; forms are told apart
by method, the view they post to and their field names.
"""

from __future__ import annotations

import re
from collections import Counter, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

# Never sent by the sweep: they end the crawler's own session or account.
SKIPPED = re.compile(r"^/(static|media|admin)/|^/accounts/logout/|^/profile/delete/")
TEXT_KINDS = {"text", "search", "email", "url", "number", "textarea", "tel", "date", "datetime-local", ""}
PER_SHAPE = 2


def shape(path: str) -> str:
    """The view a path reaches (``/questions/7/slug/`` and ``/questions/9/other/`` are one)."""
    try:
        return resolve(path).view_name
    except Resolver404:
        return re.sub(r"/\d+(?=/|$)", "/N", path)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # an input type, "textarea" or "select"
    value: str


@dataclass(frozen=True)
class Form:
    method: str
    action: str
    fields: tuple[Field, ...]

    @property
    def key(self) -> str:
        names = ",".join(sorted({f.name for f in self.fields if f.name != "csrfmiddlewaretoken"}))
        return f"{self.method} {shape(self.action)} [{names}]"

    def filled(self, text: str, *, every_field: bool) -> dict[str, str]:
        """The form as the page offers it, with ``text`` in every field a person types
        into (and, with ``every_field``, in hidden fields and choices too)."""
        data: dict[str, str] = {}
        for f in self.fields:
            if f.name == "csrfmiddlewaretoken" or f.kind in {"submit", "button", "file", "password"}:
                continue
            if f.kind in {"checkbox", "radio"} and not f.value:
                continue
            typed = f.kind in TEXT_KINDS
            data[f.name] = text if typed or every_field else f.value
        return data


@dataclass
class _Page(HTMLParser):
    base: str
    links: list[str] = field(default_factory=list)
    forms: list[Form] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._form: tuple[str, str, list[Field]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None
        self._textarea: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = ((a.get("method") or "get").upper(), a.get("action") or self.base, [])
        elif self._form is None:
            return
        elif tag in {"input", "button"} and a.get("name"):
            kind = (a.get("type") or ("submit" if tag == "button" else "text")).lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                value = ""
            else:
                value = a.get("value", "on" if kind in {"checkbox", "radio"} else "")
            self._form[2].append(Field(a["name"], kind, value))
        elif tag == "textarea" and a.get("name"):
            self._textarea = (a["name"], [])
        elif tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif tag == "option" and self._select is not None:
            (self._select[2] if "selected" in a else self._select[1]).append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._form is None:
            return
        if tag == "textarea" and self._textarea is not None:
            self._form[2].append(Field(self._textarea[0], "textarea", "".join(self._textarea[1])))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            name, options, chosen = self._select
            value = (chosen or [o for o in options if o] or [""])[0]
            self._form[2].append(Field(name, "select", value))
            self._select = None
        elif tag == "form":
            method, action, fields = self._form
            self.forms.append(Form(method, action, tuple(fields)))
            self._form = None


@dataclass
class Site:
    """What a crawl found: forms by key, and query parameters by page shape."""

    forms: dict[str, Form] = field(default_factory=dict)
    queries: dict[str, tuple[str, dict[str, str]]] = field(default_factory=dict)
    pages: int = 0

    def add_query(self, path: str, params: dict[str, str]) -> None:
        if params:
            key = f"{shape(path)}?{','.join(sorted(params))}"
            self.queries.setdefault(key, (path, params))


def crawl(client: Client, site: Site, *, start: str = "/", limit: int = 400) -> Site:
    seen_shapes: Counter[str] = Counter()
    queue, visited = deque([start]), set()
    while queue and site.pages < limit:
        url = queue.popleft()
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url in visited or SKIPPED.search(parts.path):
            continue
        visited.add(url)
        key = shape(parts.path) + "?" + ",".join(sorted(k for k, _ in parse_qsl(parts.query)))
        if seen_shapes[key] >= PER_SHAPE:
            continue
        seen_shapes[key] += 1
        response = client.get(url)
        site.pages += 1
        site.add_query(parts.path, dict(parse_qsl(parts.query)))
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = _Page(parts.path)
        page.feed(response.content.decode(errors="replace"))
        for form in page.forms:
            action = urlsplit(form.action)
            if action.netloc or SKIPPED.search(action.path or parts.path):
                continue
            form = Form(form.method, action.path or parts.path, form.fields)
            if form.method == "GET":
                site.add_query(form.action, {f.name: f.value for f in form.fields if f.name})
            else:
                site.forms.setdefault(form.key, form)
        for link in page.links:
            target = urlsplit(link)
            if not target.scheme and not target.netloc and target.path.startswith("/"):
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return site


def with_query(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}"
