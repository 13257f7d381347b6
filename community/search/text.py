"""Query cleaning, and the first step of every engine's search (shared, no I/O)."""

from __future__ import annotations

import math
import re
import unicodedata

from community.search import SearchQuery, SearchResults

MAX_QUERY_CHARS = 300
_OPERATORS_ONLY = re.compile(r"^[\s\"'()*+\-!?:^~&|/\\\[\]{}<>=.,;]*$")


def clean_query(raw: str) -> tuple[str, list[str]]:
    """Make any input searchable: drop control characters, cap the length. Returns the
    text and notices telling the person what was changed (never silently)."""
    notices = []
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co") else ch for ch in raw)
    if text.strip() != raw.strip():
        notices.append("Control characters were left out of your search.")
    text = " ".join(text.split())
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS].rsplit(" ", 1)[0] or text[:MAX_QUERY_CHARS]
        notices.append(f"Your search was shortened to its first {MAX_QUERY_CHARS} characters.")
    return text, notices


def has_words(text: str) -> bool:
    return bool(text) and not _OPERATORS_ONLY.match(text)


TOO_COMMON = "Those words are too common to search on their own; add a more specific word."


def start_results(q: SearchQuery) -> tuple[str, SearchResults]:
    """Every engine's first step: clean the text and open the results with its notices.

    Returns the cleaned text, or "" when there is nothing to search for (the results
    then already say so)."""
    text, notices = clean_query(q.text)
    if q.any_word:
        text = plain_words(text)
    results = SearchResults(page=q.page, per_page=q.per_page, notices=notices)
    if not has_words(text):
        results.notices.append("Type some words to search for.")
        return "", results
    return text, results


# A word found in more than COMMON_POSTINGS documents is "common": reading its long
# posting list is most of a search's cost while its IDF adds little to the ranking. Both
# engines then let the other words find the candidates and use common words only to
# lift title matches among them (as Lucene's common-terms query does); a query of
# common words alone is matched on titles and tags. Being absolute, the rule stays off
# in communities too small to need it, where it would cost ranking quality for no speed
# (forced on for SemEval dev, MAP drops 71.9 → 69.9).
COMMON_POSTINGS = 4000
# A hint's candidates by words are the best title and tag matches of its words found in at
# most HEADING_COMMON titles and tags (then each candidate is scored by the whole query):
# ranking every title with a word as common as "bike" was most of the cost of a hint at
# 50,000 threads, and the meaning and the whole query still count every word.
HEADING_COMMON = 1000
_OPERATORS = r"\"|(^|\s)-\w|\b(AND|OR|NOT|ANDNOT|ANDMAYBE)\b"
OPERATORS = re.compile(_OPERATORS)
# Operators, grouping and "*". (Not "?": wildcards are off, and nearly every typed
# question ends with one.)
SYNTAX = re.compile(r"[()*]|" + _OPERATORS)


def plain_words(text: str) -> str:
    """The text with no syntax: what a title typed for hints means (its quotes, brackets
    and "or" are just words). Taken as syntax, they made every word required or a phrase,
    and made the common ones count in full: 200 ms a hint at 50,000 threads."""
    words = (word.lstrip("-") for word in re.sub(r"[\"()*]", " ", text).split())
    return " ".join(w for w in words if w and w not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"))


def has_operators(text: str) -> bool:
    """Quotes or boolean operators: a query meant literally, which meaning would blur (a
    question mark or parentheses in a typed title are not)."""
    return bool(OPERATORS.search(text))


def has_syntax(text: str) -> bool:
    """Phrases, operators or grouping: such a query is taken exactly as written."""
    return bool(SYNTAX.search(text))


def boost(kind: str, solved: bool, score: int, answer_score: int = 0) -> float:
    """How much more than its text score a candidate is worth: solved (an accepted answer),
    a well-voted question, a well-voted answer."""
    boost = 1.3 if solved else 1.0
    return boost * (1.0 + 0.15 * math.log1p(max(score, 0)) + 0.1 * math.log1p(max(answer_score, 0)))


def rank_key(kind: str, relevance: float) -> tuple[bool, float]:
    """Sort key of a candidate: knowledge articles first, then by boosted relevance."""
    return (kind != "article", -relevance)


# How much meaning counts against words when both are known (community/search/hybrid.py).
# Tuned on the dev data only: SemEval-2016 3B dev and the three developer dumps' duplicate
# pairs (``make eval-search`` prints the sweep); 0.8 and 0.9 beat both parts on both sets.
SEMANTIC_WEIGHT = 0.8


def fuse(
    lexical: dict[str, float], semantic: dict[str, float], weight: float = SEMANTIC_WEIGHT
) -> dict[str, float]:
    """One relevance per candidate from its lexical score and its cosine similarity to the
    query (0 where unknown or negative). The lexical score saturates, s / (s + m) with m the
    median of this query's lexical candidates, so that one thread sharing a rare word does
    not outweigh the meaning of all the others (a max-scaled sum measured worse)."""
    if not semantic:
        return dict(lexical)
    scores = sorted(v for v in lexical.values() if v > 0)
    middle = scores[len(scores) // 2] if scores else 1.0
    return {
        key: (1 - weight) * (lex := max(lexical.get(key, 0.0), 0.0)) / (lex + middle)
        + weight * max(semantic.get(key, 0.0), 0.0)
        for key in lexical.keys() | semantic.keys()
    }
