"""The site served for real by the entrypoint's gunicorn (bin/askwell web), and a tiny
HTTP client for it that never raises on a status code."""

from __future__ import annotations

import http.cookiejar
import os
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from tests.service.conftest import ROOT, wait_for
from tests.service.proxy import Outage
from tests.service.together import free_port


@dataclass
class Reply:
    status: int
    body: str
    headers: dict[str, str]


class Browser:
    """Cookies kept, redirects not followed, CSRF token sent back as a browser's form would."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def log_in(self, username: str, password: str) -> Reply:
        self.get("/accounts/login/")
        return self.post("/accounts/login/", {"login": username, "password": password})

    def csrf(self) -> str:
        return next((c.value or "" for c in self.jar if c.name == "csrftoken"), "")

    def get(self, path: str, timeout: float = 15) -> Reply:
        return self._open(urllib.request.Request(self.base + path), timeout)  # noqa: S310 (http://127.0.0.1)

    def post(self, path: str, data: dict[str, str], timeout: float = 15) -> Reply:
        body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": self.csrf()}).encode()
        headers = {"Referer": self.base + path}
        request = urllib.request.Request(self.base + path, data=body, headers=headers)  # noqa: S310
        return self._open(request, timeout)

    def _open(self, request: urllib.request.Request, timeout: float) -> Reply:
        try:
            with self.opener.open(request, timeout=timeout) as response:
                return Reply(response.status, response.read().decode(), dict(response.headers))
        except urllib.error.HTTPError as error:
            return Reply(error.code, error.read().decode(errors="replace"), dict(error.headers))
        except OSError as error:  # refused, reset or timed out: no answer at all
            return Reply(0, repr(error), {})


def with_real_password(user: Any, password: str) -> Any:
    """The tests hash with MD5 for speed; a served site only knows the production hashers."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(password, hasher.salt())
    user.save(update_fields=["password"])
    return user


def database_url(port: int | None = None) -> str:
    db = django_settings.DATABASES["default"]
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{port or db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def web_process(tmp_path: Path, **env: str) -> Iterator[str]:
    """gunicorn on a free port of 127.0.0.1, on the test database unless DATABASE_URL says
    otherwise; yields its base address."""
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "ASKWELL_VAR_DIR": str(tmp_path / "var"),
        "ASKWELL_BIND": f"127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
        "WEB_THREADS": "2",
        **env,
    }
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen([str(ROOT / "bin" / "askwell"), "web"], cwd=ROOT, env=environment,
                               stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: process.poll() is not None or Browser(base).get("/health/").status in (200, 503),
                 timeout=60, what="gunicorn to answer")  # fmt: skip
        assert process.poll() is None, (tmp_path / "web.log").read_text()[-3000:]
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@contextmanager
def site_on_a_cuttable_database(tmp_path: Path) -> Iterator[tuple[Outage, str]]:
    """gunicorn reaching the test database through a proxy the test can cut (an outage)."""
    with (
        Outage(int(django_settings.DATABASES["default"]["PORT"] or 5432)) as outage,
        web_process(tmp_path, DATABASE_URL=database_url(outage.port)) as base,
    ):
        yield outage, base
