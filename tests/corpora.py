"""Readers for the shared bad-input corpora, and an HTML safety check built on html5lib.

Only the corpora open for development are read here; the sets reserved for acceptance
evaluation are never opened by tests.
"""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path

import html5lib

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "srcset", "poster", "background"}


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates cannot be sent by any browser
        return False
    return True


@cache
def naughty_strings() -> list[str]:
    strings = json.loads((DATA / "blns" / "blns.json").read_text(encoding="utf-8"))
    return [s for s in strings if _encodable(s)]


@cache
def xss_payloads() -> list[str]:
    text = (DATA / "xss-payloadbox" / "xss-payload-list.txt").read_text(encoding="utf-8", errors="replace")
    return [line for line in text.splitlines() if line.strip()]


def xss_sample(size: int = 500) -> list[str]:
    """A fixed sample (the same every run) of the XSS payload list."""
    payloads = xss_payloads()
    return random.Random(2016).sample(payloads, min(size, len(payloads)))


def unsafe_parts(html: str, *, allowed_script_srcs: tuple[str, ...] = ()) -> list[str]:
    """Everything in ``html`` that could run script, found by parsing it as a browser would."""
    document = (
        html5lib.parseFragment(html, namespaceHTMLElements=False)
        if "<html" not in html[:200].lower()
        else html5lib.parse(html, namespaceHTMLElements=False)
    )
    problems = []
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() == "script":
            src = element.get("src") or ""
            if element.get("type") == "application/ld+json":
                try:
                    json.loads(element.text or "")
                except ValueError:
                    problems.append("JSON-LD script was broken out of")
            elif not (src and src.startswith(allowed_script_srcs)):
                problems.append(f"script element: {src or (element.text or '')[:80]!r}")
        if tag.lower() in {"iframe", "object", "embed", "frame", "base", "meta"} and tag.lower() != "meta":
            problems.append(f"{tag} element")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                problems.append(f"event handler {name}={value[:60]!r}")
            if lowered in URL_ATTRIBUTES:
                compact = "".join(value.split()).lower()
                if compact.startswith(DANGEROUS_SCHEMES):
                    problems.append(f"{name}={value[:60]!r}")
    return problems
