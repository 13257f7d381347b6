"""Production settings come from the environment: `check --deploy` is clean with them,
the shipped secret key is refused, and links are https:// behind a TLS-terminating proxy."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import BUILT_IN_SECRET_KEY

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION = {
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "ASKWELL_SITE_URL": "https://community.example.com",
    "DJANGO_ALLOWED_HOSTS": "community.example.com",
    "ASKWELL_TRUSTED_PROXY_COUNT": "1",
}


def _manage(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "ASKWELL_"))}
    environment.update(env, ASKWELL_VAR_DIR=str(tmp_path))
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)  # fmt: skip


def test_check_deploy_gives_no_warning_with_the_documented_production_settings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_the_shipped_secret_key_is_refused_with_debug_off(tmp_path):
    result = _manage("check", tmp_path=tmp_path, **{**PRODUCTION, "DJANGO_SECRET_KEY": BUILT_IN_SECRET_KEY})
    assert result.returncode != 0 and "Refusing to start" in result.stderr


def test_without_a_key_the_embedded_default_makes_its_own_and_keeps_it(tmp_path):
    assert _manage("check", tmp_path=tmp_path).returncode == 0
    key = (tmp_path / "secret-key").read_text()
    assert len(key) >= 50 and key != BUILT_IN_SECRET_KEY
    assert oct((tmp_path / "secret-key").stat().st_mode & 0o777) == "0o600"
    assert (
        _manage("check", tmp_path=tmp_path).returncode == 0 and (tmp_path / "secret-key").read_text() == key
    )


@pytest.mark.django_db
def test_behind_a_tls_proxy_canonical_and_structured_data_links_are_https(
    client, question, answer_factory, settings
):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.ALLOWED_HOSTS = ["community.example.com"]
    answer_factory(question=question)
    page = client.get(question.get_absolute_url(), HTTP_X_FORWARDED_PROTO="https",
                      HTTP_HOST="community.example.com").content.decode()  # fmt: skip
    assert f'rel="canonical" href="https://community.example.com{question.get_absolute_url()}"' in page
    assert '"url": "https://community.example.com/' in page  # the answer's, in the QAPage data
    assert "http://community.example.com" not in page


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_of_the_sites_own_scripts_and_styles(client, member):
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    # A chart's one <style> carries the nonce its page's policy names.
    page = client.get(f"/users/{member.username}/")
    nonce = page["Content-Security-Policy"].split("'nonce-", 1)[1].split("'", 1)[0]
    assert f'nonce="{nonce}"' in page.content.decode() and 'style="' not in page.content.decode()
