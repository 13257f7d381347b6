"""The render-and-sanitize pipeline holds against every payload of the XSS list."""

from __future__ import annotations

import pytest

from community.markdown import render_markdown
from tests.corpora import naughty_strings, unsafe_parts, xss_payloads, xss_sample


def _wrapped(payload: str) -> list[str]:
    """The payload where Markdown would put it: as a link target, an image, an autolink."""
    return [f"[click]({payload})", f"![img]({payload})", f"<{payload}>", f"`{payload}`\n\n> {payload}"]


def _failures(sources: list[str]) -> list[tuple[str, list[str]]]:
    return [(s, p) for s in sources if (p := unsafe_parts(render_markdown(s)))]


def test_every_xss_payload_renders_without_anything_executable():
    failures = _failures(xss_payloads())
    assert not failures, failures[:5]


def test_a_fixed_sample_of_payloads_stays_inert_wherever_markdown_puts_it():
    failures = _failures([w for payload in xss_sample() for w in _wrapped(payload)])
    assert not failures, failures[:5]


@pytest.mark.slow
def test_every_payload_stays_inert_wherever_markdown_puts_it():
    failures = _failures([w for payload in xss_payloads() for w in _wrapped(payload)])
    assert not failures, failures[:5]


def test_every_naughty_string_renders():
    for text in naughty_strings():
        unsafe = unsafe_parts(render_markdown(text))
        assert not unsafe, (text, unsafe)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**bold** and _em_", "<strong>bold</strong> and <em>em</em>"),
        ("[site](https://example.com)", 'href="https://example.com"'),
        ("| a | b |\n|---|---|\n| 1 | 2 |", "<table>"),
        ("```python\nprint(1)\n```", 'class="language-python"'),
        ("~~gone~~", "<s>gone</s>"),
    ],
)
def test_markdown_features_survive_sanitizing(source, expected):
    assert expected in render_markdown(source)


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<a href='javascript:alert(1)'>x</a>",
        "[x](vbscript:msgbox(1))",
    ],
)
def test_dangerous_markdown_is_neutralised(source):
    html = render_markdown(source)
    assert not unsafe_parts(html), html


def test_links_are_marked_user_generated():
    assert 'rel="nofollow ugc noopener noreferrer"' in render_markdown("[a](https://example.com)")
