"""Write a read Stack Exchange dump into the community, once.

Every imported row remembers its source id, so a second run finds everything already
there and creates nothing. Imported posts earn nobody reputation, notify nobody and send
no mail (the importer never goes through the posting actions), and they carry their
source score as ``imported_score``, the baseline local votes add to.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from accounts.models import User
from community.actions.search import queue_reindex_many
from community.importers import stackexchange as se
from community.markdown import render_markdown
from community.models import (
    Answer,
    Comment,
    ImportedUser,
    ImportSite,
    Question,
    QuestionLink,
    Revision,
    TagInfo,
)

Progress = Callable[[str, int, int], None]


@dataclass
class ImportReport:
    site: str
    created: Counter[str] = field(default_factory=Counter)
    already: Counter[str] = field(default_factory=Counter)
    skipped: Counter[str] = field(default_factory=Counter)
    score_differs_from_votes: int = 0

    def lines(self) -> list[str]:
        out = [f"Imported from {self.site}:"]
        out.extend(
            f"  {kind}: {self.created[kind]} new, {self.already[kind]} already imported"
            for kind in ("members", "questions", "answers", "comments", "links", "tags")
        )
        out.append(f"  revisions: {self.created['revisions']} new")
        if self.skipped:
            out.append("Skipped:")
            out.extend(f"  {count} × {reason}" for reason, count in sorted(self.skipped.items()))
        if self.score_differs_from_votes:
            out.append(
                f"Note: {self.score_differs_from_votes} post score(s) differ from the dump's up/down "
                "votes (votes on deleted accounts are gone from the dump); the posts' scores were kept."
            )
        return out


def _noop(_stage: str, _done: int, _total: int) -> None:
    return None


def import_dump(dump: se.Dump, *, progress: Progress = _noop) -> ImportReport:
    report = ImportReport(site=dump.domain)
    report.skipped.update(dump.skipped)
    with transaction.atomic():
        site, _ = ImportSite.objects.get_or_create(
            domain=dump.domain, defaults={"imported_at": timezone.now()}
        )
        users = _members(site, dump, report)
        questions = _questions(site, dump, users, report, progress)
        answers = _answers(site, dump, users, questions, report, progress)
        _accept_and_count(dump, questions, answers)
        _comments(site, dump, users, questions, answers, report, progress)
        _links(dump, questions, report)
        _tags(site, dump, report)
        for post in dump.posts.values():
            if post.id in dump.vote_totals and dump.vote_totals[post.id] != post.score:
                report.score_differs_from_votes += 1
        queue_reindex_many(questions.new_ids)
    return report


class _Mapped(dict[int, int]):
    """Source id → local id, remembering which local rows this run created."""

    def __init__(self) -> None:
        super().__init__()
        self.new_ids: list[int] = []


def _members(site: ImportSite, dump: se.Dump, report: ImportReport) -> dict[str, User]:
    wanted = {post.user_key for post in dump.posts.values()} | {c.user_key for c in dump.comments}
    for post in dump.posts.values():
        wanted.update(revision.user_key for revision in post.revisions)
    existing = {p.key: p.user for p in ImportedUser.objects.filter(site=site).select_related("user")}
    report.already["members"] = len(wanted & existing.keys())
    prefix = slugify(dump.domain.split(".")[0])[:20] or "imported"
    for key in sorted(wanted - existing.keys()):
        name = (dump.users.get(key) or "Former member").strip()[:60] or "Former member"
        digest = hashlib.sha256(key.encode()).hexdigest()[:8]
        suffix = key if key.lstrip("-").isdigit() else f"n{digest}"
        username = f"{slugify(name)[:30] or 'member'}-{prefix}{suffix}"[:150]
        user = User(username=username, display_name=name, email="")
        user.set_unusable_password()
        user.save()
        ImportedUser.objects.create(site=site, key=key, user=user)
        existing[key] = user
        report.created["members"] += 1
    return existing


def _local_ids(model: type[Question] | type[Answer] | type[Comment], site: ImportSite) -> _Mapped:
    mapped = _Mapped()
    for external_id, pk in model.objects.filter(import_site=site).values_list("external_id", "pk"):
        mapped[int(external_id or 0)] = pk
    return mapped


def _revisions(
    post: se.Post, users: dict[str, User], *, question: Question | None, answer: Answer | None
) -> int:
    rows = [
        Revision(
            question=question,
            answer=answer,
            number=number,
            author=users[revision.user_key],
            title=revision.title if question is not None else "",
            body=revision.body,
            tags=" ".join(sorted(revision.tags)),
            summary=revision.summary,
            created_at=revision.at,
        )
        for number, revision in enumerate(post.revisions, start=1)
    ]
    if not rows:  # no history in the dump: the post as it stands is its only revision
        rows = [
            Revision(
                question=question,
                answer=answer,
                number=1,
                author=users[post.user_key],
                title=post.title if question is not None else "",
                body=post.body,
                tags=" ".join(sorted(post.tags)),
                created_at=post.created_at,
            )
        ]
    Revision.objects.bulk_create(rows)
    return len(rows)


def _post_fields(site: ImportSite, post: se.Post, users: dict[str, User]) -> dict[str, Any]:
    """What a question and an answer take alike from a source post."""
    return {
        "body": post.body,
        "body_html": render_markdown(post.body),
        "author": users[post.user_key],
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "score": post.score,
        "imported_score": post.score,
        "import_site": site,
        "external_id": post.id,
        "licence": post.licence,
    }


def _questions(
    site: ImportSite, dump: se.Dump, users: dict[str, User], report: ImportReport, progress: Progress
) -> _Mapped:
    mapped = _local_ids(Question, site)
    todo = [p for p in dump.posts.values() if p.kind == se.QUESTION]
    for done, post in enumerate(todo, start=1):
        if post.id in mapped:
            report.already["questions"] += 1
        elif not post.title.strip():
            report.skipped["question without a title"] += 1
        else:
            question = Question.objects.create(
                title=post.title[:300],
                last_activity_at=max(post.last_activity_at, post.created_at),
                asker_active_at=post.created_at,
                **_post_fields(site, post, users),
            )
            if post.tags:
                question.tags.add(*post.tags)
            report.created["revisions"] += _revisions(post, users, question=question, answer=None)
            mapped[post.id] = question.pk
            mapped.new_ids.append(question.pk)
            report.created["questions"] += 1
        progress("questions", done, len(todo))
    return mapped


def _answers(
    site: ImportSite,
    dump: se.Dump,
    users: dict[str, User],
    questions: _Mapped,
    report: ImportReport,
    progress: Progress,
) -> _Mapped:
    mapped = _local_ids(Answer, site)
    todo = [p for p in dump.posts.values() if p.kind == se.ANSWER]
    for done, post in enumerate(todo, start=1):
        if post.id in mapped:
            report.already["answers"] += 1
        elif post.parent_id is None or post.parent_id not in questions:
            report.skipped["answer whose question is not in the dump"] += 1
        else:
            answer = Answer.objects.create(
                question_id=questions[post.parent_id], **_post_fields(site, post, users)
            )
            report.created["revisions"] += _revisions(post, users, question=None, answer=answer)
            mapped[post.id] = answer.pk
            mapped.new_ids.append(answer.pk)
            report.created["answers"] += 1
        progress("answers", done, len(todo))
    return mapped


def _accept_and_count(dump: se.Dump, questions: _Mapped, answers: _Mapped) -> None:
    """Accepted answers and answer counts of the questions this run created."""
    created = set(questions.new_ids)
    for post in dump.posts.values():
        if post.kind != se.QUESTION or questions.get(post.id) not in created:
            continue
        local_id = questions[post.id]
        Question.objects.filter(pk=local_id).update(
            accepted_answer_id=answers.get(post.accepted_answer_id) if post.accepted_answer_id else None,
            answer_count=Answer.objects.filter(question_id=local_id, is_deleted=False).count(),
        )


def _comments(
    site: ImportSite,
    dump: se.Dump,
    users: dict[str, User],
    questions: _Mapped,
    answers: _Mapped,
    report: ImportReport,
    progress: Progress,
) -> None:
    mapped = _local_ids(Comment, site)
    rows: list[Comment] = []
    for done, comment in enumerate(dump.comments, start=1):
        if comment.id in mapped:
            report.already["comments"] += 1
            continue
        on = (
            {"question_id": questions[comment.post_id]}
            if comment.post_id in questions
            else {"answer_id": answers[comment.post_id]}
            if comment.post_id in answers
            else None
        )
        if on is None:
            report.skipped["comment on a post not imported"] += 1
            continue
        if not comment.text.strip():
            report.skipped["empty comment"] += 1
            continue
        rows.append(
            Comment(
                **on,
                body=comment.text,
                body_html=render_markdown(comment.text),
                author=users[comment.user_key],
                created_at=comment.created_at,
                import_site=site,
                external_id=comment.id,
                licence=comment.licence,
            )
        )
        progress("comments", done, len(dump.comments))
    Comment.objects.bulk_create(rows, batch_size=500)
    report.created["comments"] += len(rows)


def _tags(site: ImportSite, dump: se.Dump, report: ImportReport) -> None:
    """Every tag of Tags.xml (used or not), with its wiki excerpt as the description unless
    the tag already has one here."""
    for name, excerpt in sorted(dump.tags.items()):
        tag, created = Tag.objects.get_or_create(name=name)
        if created:
            report.created["tags"] += 1
        else:
            report.already["tags"] += 1
        if excerpt is not None and not TagInfo.objects.filter(tag=tag).exists():
            text, licence = excerpt
            TagInfo.objects.create(
                tag=tag, excerpt=text, excerpt_html=render_markdown(text), import_site=site, licence=licence
            )


def _links(dump: se.Dump, questions: _Mapped, report: ImportReport) -> None:
    for link in dump.links:
        if link.source_id not in questions or link.target_id not in questions:
            report.skipped["post link to a post not imported"] += 1
            continue
        if link.source_id == link.target_id:
            report.skipped["post link to itself"] += 1
            continue
        _, created = QuestionLink.objects.get_or_create(
            source_id=questions[link.source_id],
            target_id=questions[link.target_id],
            kind=link.kind,
            defaults={"created_at": link.created_at},
        )
        if created:
            report.created["links"] += 1
        else:
            report.already["links"] += 1
