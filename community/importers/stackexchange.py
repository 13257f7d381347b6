"""Read a Stack Exchange data dump (the per-site XML files) into plain records.

Nothing here touches the database: ``read_dump`` turns a folder into a ``Dump`` that
``community.actions.imports`` writes. Each file is streamed with ``iterparse`` so a large
site does not need its whole tree in memory.

The attribute reference is the dump's own: PostTypeId 1 question, 2 answer, 4 tag wiki
excerpt (kept as the tag's description; others — full tag wikis, election nominations —
are skipped and reported); PostHistoryTypeId 1/4/7 title, 2/5/8 body, 3/6/9 tags
(initial, edit, rollback); PostLinks LinkTypeId 1 linked, 3 duplicate; VoteTypeId 2 up,
3 down.
"""

from __future__ import annotations

import html
import re
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

QUESTION, ANSWER, TAG_EXCERPT = "1", "2", "4"
TITLE_TYPES, BODY_TYPES, TAG_TYPES = {"1", "4", "7"}, {"2", "5", "8"}, {"3", "6", "9"}
UP_VOTE, DOWN_VOTE = "2", "3"
LINK_KINDS = {"1": "related", "3": "duplicate"}
POST_TYPE_NAMES = {
    "3": "orphaned tag wiki",
    "5": "tag wiki (its excerpt is kept as the tag's description)",
    "6": "moderator nomination",
    "7": "wiki placeholder",
    "8": "privilege wiki",
}


class DumpError(Exception):
    """The folder is not a readable Stack Exchange dump; the message says why."""


@dataclass
class Revision:
    at: datetime
    user_key: str
    title: str
    body: str
    tags: list[str]
    summary: str


@dataclass
class Post:
    id: int
    kind: str  # QUESTION or ANSWER
    parent_id: int | None
    created_at: datetime
    last_activity_at: datetime
    edited_at: datetime | None
    score: int
    user_key: str
    title: str
    body: str  # Markdown source when the history has it, else text taken from the HTML
    body_from_html: bool
    tags: list[str]
    licence: str
    accepted_answer_id: int | None
    revisions: list[Revision] = field(default_factory=list)


@dataclass
class Comment:
    id: int
    post_id: int
    created_at: datetime
    user_key: str
    text: str
    licence: str


@dataclass
class Link:
    source_id: int
    target_id: int
    kind: str
    created_at: datetime


@dataclass
class Dump:
    domain: str
    users: dict[str, str]  # user key → display name
    posts: dict[int, Post]
    comments: list[Comment]
    links: list[Link]
    vote_totals: dict[int, int]
    # Tags.xml: tag name → (its wiki excerpt's Markdown, licence), or None without one
    tags: dict[str, tuple[str, str] | None] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)


def parse_tags(raw: str | None) -> list[str]:
    """``<a><b>`` (older dumps) or ``|a|b|`` (newer ones) → ``["a", "b"]``."""
    if not raw:
        return []
    if raw.startswith("<"):
        return [tag for tag in re.findall(r"<([^<>]+)>", raw) if tag]
    return [tag for tag in raw.split("|") if tag]


def parse_date(raw: str | None) -> datetime | None:
    if not raw:
        return None
    # The dumps write UTC without an offset, with or without fractional seconds.
    return datetime.fromisoformat(raw).replace(tzinfo=UTC)


def html_to_text(source: str) -> str:
    """A readable plain-text body for a post whose Markdown source is not in the dump."""
    text = re.sub(r"(?i)<br\s*/?>", "\n", source)
    text = re.sub(r"(?i)</(p|div|h[1-6]|li|blockquote|pre)>", "\n\n", text)
    text = re.sub(r"<[^>]*>", "", text)
    return re.sub(r"\n{3,}", "\n\n", html.unescape(text)).strip()


def _rows(path: Path) -> Iterator[dict[str, str]]:
    try:
        # defusedxml: a dump is a file from elsewhere; entity tricks are refused, not expanded.
        for _event, element in SafeET.iterparse(path):
            if element.tag == "row":
                yield dict(element.attrib)
                element.clear()
    except SafeET.ParseError as error:
        raise DumpError(f"{path.name} is not well-formed XML ({error}).") from error
    except DefusedXmlException as error:
        raise DumpError(f"{path.name} uses XML features a dump never needs ({error}).") from error


def _user_key(row: dict[str, str], id_attr: str, name_attr: str) -> str:
    if row.get(id_attr):
        return row[id_attr]
    name = (row.get(name_attr) or "").strip()
    return f"name:{name}" if name else "name:"


def read_dump(folder: Path) -> Dump:
    """Read the dump in ``folder`` (named after its site, as the dumps are)."""
    if not folder.is_dir():
        raise DumpError(f"{folder} is not a folder.")
    if not (folder / "Posts.xml").is_file():
        raise DumpError(f"{folder} has no Posts.xml, so it is not a Stack Exchange dump.")
    skipped: Counter[str] = Counter()
    users: dict[str, str] = {}
    if (folder / "Users.xml").is_file():
        for row in _rows(folder / "Users.xml"):
            users[row["Id"]] = row.get("DisplayName") or f"user{row['Id']}"
    else:
        skipped["Users.xml missing: authors named by id only"] += 1

    history = _history(folder / "PostHistory.xml") if (folder / "PostHistory.xml").is_file() else {}
    posts: dict[int, Post] = {}
    excerpts: dict[int, tuple[str, str]] = {}
    for row in _rows(folder / "Posts.xml"):
        kind = row.get("PostTypeId", "")
        if kind == TAG_EXCERPT:
            revisions = history.get(int(row["Id"]), [])
            text = (
                revisions[-1].body if revisions and revisions[-1].body else html_to_text(row.get("Body", ""))
            )
            excerpts[int(row["Id"])] = (text, row.get("ContentLicense", ""))
            continue
        if kind not in (QUESTION, ANSWER):
            skipped[f"post of type {POST_TYPE_NAMES.get(kind, kind)} (not a question or answer)"] += 1
            continue
        post_id = int(row["Id"])
        revisions = history.get(post_id, [])
        source = revisions[-1].body if revisions and revisions[-1].body else None
        created = parse_date(row.get("CreationDate"))
        if created is None:
            skipped["post without a creation date"] += 1
            continue
        user_key = _user_key(row, "OwnerUserId", "OwnerDisplayName")
        if not user_key.startswith("name:"):
            users.setdefault(user_key, f"user{user_key}")
        else:
            users.setdefault(user_key, user_key[5:] or "Former member")
        posts[post_id] = Post(
            id=post_id,
            kind=kind,
            parent_id=int(row["ParentId"]) if row.get("ParentId") else None,
            created_at=created,
            last_activity_at=parse_date(row.get("LastActivityDate")) or created,
            edited_at=parse_date(row.get("LastEditDate")),
            score=int(row.get("Score") or 0),
            user_key=user_key,
            title=row.get("Title", ""),
            body=source if source is not None else html_to_text(row.get("Body", "")),
            body_from_html=source is None,
            tags=parse_tags(row.get("Tags")),
            licence=row.get("ContentLicense", ""),
            accepted_answer_id=int(row["AcceptedAnswerId"]) if row.get("AcceptedAnswerId") else None,
            revisions=revisions,
        )
        if source is None:
            skipped["Markdown source missing: body taken from the HTML as text"] += 1

    comments: list[Comment] = []
    if (folder / "Comments.xml").is_file():
        for row in _rows(folder / "Comments.xml"):
            user_key = _user_key(row, "UserId", "UserDisplayName")
            users.setdefault(user_key, user_key[5:] if user_key.startswith("name:") else f"user{user_key}")
            comments.append(
                Comment(
                    id=int(row["Id"]),
                    post_id=int(row["PostId"]),
                    created_at=parse_date(row.get("CreationDate")) or datetime.now(UTC),
                    user_key=user_key,
                    text=row.get("Text", ""),
                    licence=row.get("ContentLicense", ""),
                )
            )

    links: list[Link] = []
    if (folder / "PostLinks.xml").is_file():
        for row in _rows(folder / "PostLinks.xml"):
            link_kind = LINK_KINDS.get(row.get("LinkTypeId", ""))
            if link_kind is None:
                skipped[f"post link of unknown type {row.get('LinkTypeId')}"] += 1
                continue
            created = parse_date(row.get("CreationDate")) or datetime.now(UTC)
            links.append(Link(int(row["PostId"]), int(row["RelatedPostId"]), link_kind, created))

    tags: dict[str, tuple[str, str] | None] = {}
    if (folder / "Tags.xml").is_file():
        for row in _rows(folder / "Tags.xml"):
            excerpt_id = int(row["ExcerptPostId"]) if row.get("ExcerptPostId") else None
            tags[row.get("TagName", "")] = excerpts.get(excerpt_id) if excerpt_id else None
        tags.pop("", None)

    vote_totals: dict[int, int] = defaultdict(int)
    if (folder / "Votes.xml").is_file():
        for row in _rows(folder / "Votes.xml"):
            post_id = int(row["PostId"])
            if post_id not in posts:
                skipped["vote on a post not in the dump (deleted there)"] += 1
            elif row.get("VoteTypeId") == UP_VOTE:
                vote_totals[post_id] += 1
            elif row.get("VoteTypeId") == DOWN_VOTE:
                vote_totals[post_id] -= 1
    return Dump(
        domain=folder.resolve().name,
        users=users,
        posts=posts,
        comments=comments,
        links=links,
        vote_totals=dict(vote_totals),
        tags=tags,
        skipped=skipped,
    )


def _history(path: Path) -> dict[int, list[Revision]]:
    """Each post's revisions, oldest first: rows sharing a RevisionGUID are one revision."""
    grouped: dict[int, dict[str, list[dict[str, str]]]] = defaultdict(dict)
    for row in _rows(path):
        kind = row.get("PostHistoryTypeId", "")
        if kind in TITLE_TYPES | BODY_TYPES | TAG_TYPES:
            guid = row.get("RevisionGUID") or row["Id"]
            grouped[int(row["PostId"])].setdefault(guid, []).append(row)
    result: dict[int, list[Revision]] = {}
    for post_id, revisions in grouped.items():
        ordered = sorted(
            revisions.values(), key=lambda rows: (rows[0].get("CreationDate", ""), int(rows[0]["Id"]))
        )
        title, body, tags = "", "", []
        out: list[Revision] = []
        for rows in ordered:
            summary = ""
            for row in rows:
                kind, text = row["PostHistoryTypeId"], row.get("Text", "")
                if kind in TITLE_TYPES:
                    title = text
                elif kind in BODY_TYPES:
                    body = text
                elif kind in TAG_TYPES:
                    tags = parse_tags(text)
                summary = summary or row.get("Comment", "")
            first = rows[0]
            out.append(
                Revision(
                    at=parse_date(first.get("CreationDate")) or datetime.now(UTC),
                    user_key=_user_key(first, "UserId", "UserDisplayName"),
                    title=title,
                    body=body,
                    tags=list(tags),
                    summary=summary[:300],
                )
            )
        result[post_id] = out
    return result
