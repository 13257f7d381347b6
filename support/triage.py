"""Triage: how urgent an escalation is, from plain data (no database).

Priority (0–100) adds up what a support lead would weigh: a VIP customer, an upset
customer (VADER's compound tone of the question, a lexicon built for short social
text), how long they have waited, and how many others said "I have this too". VADER
knows English only, so text that does not read as English counts as neutral and the
triage says so instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

VIP_POINTS = 40
TONE_POINTS = 30  # at the most negative tone
WAIT_POINTS = 20  # at WAIT_FULL_HOURS and beyond
WAIT_FULL_HOURS = 72
ME_TOO_POINTS = 2  # per member, up to ME_TOO_CAP members
ME_TOO_CAP = 5
NEGATIVE = -0.05  # VADER's own threshold for negative text

# The commonest English function words: real English prose is full of them, other
# languages (and code) are not.
_ENGLISH = frozenset(
    [
        "the",
        "a",
        "an",
        "and",
        "or",
        "but",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "i",
        "my",
        "me",
        "we",
        "our",
        "you",
        "your",
        "to",
        "of",
        "in",
        "on",
        "for",
        "with",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "can",
        "can't",
        "cannot",
        "will",
        "would",
        "should",
        "could",
        "what",
        "when",
        "why",
        "how",
        "there",
        "here",
        "at",
        "from",
        "by",
        "as",
        "if",
        "so",
    ]
)
_WORD = re.compile(r"[A-Za-z']+|[^\W\d_]+", re.UNICODE)


@cache
def _analyzer() -> SentimentIntensityAnalyzer:
    return SentimentIntensityAnalyzer()


def looks_english(text: str) -> bool:
    words = [w.lower() for w in _WORD.findall(text)]
    if len(words) < 3:
        return False
    return sum(1 for w in words if w in _ENGLISH) / len(words) >= 0.12


def tone(text: str) -> float | None:
    """VADER's compound tone (−1 … 1) of English text; None for other languages."""
    if not looks_english(text):
        return None
    return float(_analyzer().polarity_scores(text[:5000])["compound"])


@dataclass(frozen=True)
class Triage:
    priority: int
    tone: float | None
    reasons: list[str] = field(default_factory=list)


def triage(*, vip: bool, text: str, waited_hours: float, me_too: int) -> Triage:
    points = 0.0
    reasons = []
    if vip:
        points += VIP_POINTS
        reasons.append("VIP customer")
    measured = tone(text)
    if measured is None:
        reasons.append("Tone not assessed: the question does not read as English")
    elif measured <= NEGATIVE:
        points += -measured * TONE_POINTS
        reasons.append(f"Negative tone ({measured:+.2f})")
    waited = max(waited_hours, 0.0)
    points += min(waited / WAIT_FULL_HOURS, 1.0) * WAIT_POINTS
    reasons.append(f"Waited {waited:.0f} h")
    if me_too:
        points += min(me_too, ME_TOO_CAP) * ME_TOO_POINTS
        reasons.append(f"{me_too} more customer{'s' if me_too != 1 else ''} have this too")
    return Triage(priority=round(min(points, 100)), tone=measured, reasons=reasons)
