"""The deploy recipe hangs together: the compose file names every process the entrypoint
knows, with health checks and volumes; `docker compose config` validates it where docker
exists (not on this project's machines, which cannot pull images)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
ENTRYPOINT_COMMANDS = {"web", "worker", "search-worker", "beat", "migrate"}


def test_the_compose_file_runs_every_process_through_the_entrypoint():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "search-worker", "beat", "proxy"}
    for name in ("migrate", "web", "worker", "search-worker", "beat"):
        assert services[name]["command"][0] in ENTRYPOINT_COMMANDS, name
        assert services[name]["build"] == "."
    assert "media" in compose["volumes"] and "db" in compose["volumes"]
    assert all("healthcheck" in services[name] for name in ("db", "redis"))
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    # Uploaded media come from the volume through the web server in front, not the app.
    assert services["web"]["environment"]["ASKWELL_SERVE_MEDIA"] == "false"
    assert "media:/var/lib/askwell/media:ro" in services["proxy"]["volumes"]
    assert services["proxy"]["ports"] == ["8000:8000"] and "ports" not in services["web"]
    nginx = (ROOT / "deploy" / "nginx.conf").read_text()
    assert (
        "alias /var/lib/askwell/media/;" in nginx
        and "nosniff" in nginx
        and "proxy_pass http://web:8000" in nginx
    )
    usage = (ROOT / "bin" / "askwell").read_text()
    assert all(f"  {command})" in usage for command in ENTRYPOINT_COMMANDS)


def test_the_image_starts_the_entrypoint_with_a_health_check_and_compressed_static_files():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert (
        'ENTRYPOINT ["bin/askwell"]' in dockerfile
        and "HEALTHCHECK" in dockerfile
        and "/health/" in dockerfile
    )
    assert "CompressedManifestStaticFilesStorage" in dockerfile and "collectstatic" in dockerfile
    assert "USER askwell" in dockerfile


def _compose_available() -> bool:
    if shutil.which("docker") is None:
        return False
    return subprocess.run(["docker", "compose", "version"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _compose_available(), reason="docker compose is not installed on this machine")
def test_docker_compose_accepts_the_file():
    result = subprocess.run(["docker", "compose", "-f", str(ROOT / "compose.yaml"), "config", "--quiet"],
                            cwd=ROOT, capture_output=True, text=True, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("serve", "found"), [("true", True), ("false", False)])
def test_the_app_serves_uploaded_media_only_when_asked_to(serve, found, tmp_path):
    script = (
        "from django.urls import resolve, Resolver404\n"
        "try:\n    resolve('/media/avatars/a.png'); print('served')\n"
        "except Resolver404:\n    print('not served')\n"
    )
    env = {**os.environ, "ASKWELL_SERVE_MEDIA": serve, "ASKWELL_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.stdout.strip().splitlines()[-1] == ("served" if found else "not served"), result.stderr
