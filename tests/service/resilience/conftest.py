"""The resilience suite (`make resilience`): not pass/fail timings but a count of attempts
and failures per scenario, printed as a table at the end and kept in
var/resilience/last-run.md (the README quotes it). A scenario with any failure fails too,
so the make target's status says whether everything held."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings

ROOT = Path(__file__).resolve().parents[3]
REPORT = ROOT / "var" / "resilience"


@dataclass
class Tally:
    scenario: str
    attempts: int = 0
    failures: int = 0
    examples: list[str] = field(default_factory=list)
    seconds: float = 0.0

    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def record(self, problem: str | None) -> None:
        """One attempt: ``problem`` is None when it held, else what went wrong (thread-safe)."""
        with self._lock:
            self.attempts += 1
            if problem is not None:
                self.failures += 1
                if len(self.examples) < 5:
                    self.examples.append(problem[:300])

    def check(self) -> None:
        assert not self.failures, f"{self.failures} of {self.attempts} failed: {self.examples}"


_TALLIES: list[Tally] = []


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Iterator[Tally]:
    doc = (request.function.__doc__ or request.node.name).strip().splitlines()[0]
    found = Tally(doc.rstrip("."))
    _TALLIES.append(found)
    started = time.monotonic()
    yield found
    found.seconds = time.monotonic() - started


@pytest.fixture
def no_rate_limits(settings: object) -> None:
    """The sweep sends thousands of posts from one person: rate limits would answer most
    of them with a 429 before the input reached a form (they are tested on their own)."""
    settings.COMMUNITY_RATE_LIMITS = {}  # type: ignore[attr-defined]
    settings.ACCOUNT_RATE_LIMITS = False  # type: ignore[attr-defined]
    settings.AXES_ENABLED = False  # type: ignore[attr-defined]


def table(tallies: list[Tally]) -> str:
    lines = ["| scenario | attempts | failures | seconds |", "| --- | ---: | ---: | ---: |"]
    lines += [f"| {t.scenario} | {t.attempts:,} | {t.failures:,} | {t.seconds:.0f} |" for t in tallies]
    return "\n".join(lines)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not _TALLIES:
        return
    text = table(_TALLIES)
    terminalreporter.write_sep("=", "resilience: attempts and failures")
    terminalreporter.write_line(text)
    for t in _TALLIES:
        for example in t.examples:
            terminalreporter.write_line(f"  {t.scenario}: {example}")
    REPORT.mkdir(parents=True, exist_ok=True)
    engine = django_settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    (REPORT / "last-run.md").write_text(f"Last run {stamp}, database {engine}:\n\n{text}\n")
    (REPORT / "last-run.json").write_text(
        json.dumps(
            [{k: v for k, v in t.__dict__.items() if not k.startswith("_")} for t in _TALLIES], indent=2
        )
    )
