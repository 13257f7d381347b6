"""``manage.py import_stackexchange``: a real dump (conlang.meta, the small one) and
hand-written dumps for the cases real dumps rarely show (pipe tags, no history, broken XML)."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from accounts.models import User
from community.actions.badges import award_badges
from community.actions.votes import cast_vote
from community.models import (
    Answer,
    Comment,
    ImportedUser,
    Notification,
    OutboxItem,
    Question,
    QuestionLink,
    Revision,
)
from community.search import SearchQuery, get_engine
from tests.conftest import PASSWORD
from tests.corpora import DATA

pytestmark = pytest.mark.django_db

CONLANG = DATA / "stackexchange" / "conlang.meta.stackexchange.com"


def run_import(folder: Path, django_capture_on_commit_callbacks) -> str:
    out, err = io.StringIO(), io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_stackexchange", str(folder), stdout=out, stderr=err)
    return out.getvalue()


def rows(name: str) -> list[dict[str, str]]:
    return [dict(row.attrib) for row in ET.parse(CONLANG / name).getroot()]  # noqa: S314 (our own fixture)


@pytest.fixture
def imported(django_capture_on_commit_callbacks) -> str:
    return run_import(CONLANG, django_capture_on_commit_callbacks)


def test_imports_every_question_answer_and_comment_with_scores_dates_and_acceptance(imported):
    posts = rows("Posts.xml")
    questions = [p for p in posts if p["PostTypeId"] == "1"]
    answers = [p for p in posts if p["PostTypeId"] == "2"]
    assert Question.objects.count() == len(questions)
    assert Answer.objects.count() == len(answers)
    assert Comment.objects.count() == len(rows("Comments.xml"))
    for source in questions:
        local = Question.objects.get(external_id=int(source["Id"]))
        assert local.title == source["Title"]
        assert local.score == local.imported_score == int(source["Score"])
        assert local.created_at.isoformat().startswith(source["CreationDate"][:19])
        assert sorted(local.tags.names()) == sorted(re.findall(r"<([^<>]+)>", source["Tags"]))
        assert local.licence == source["ContentLicense"]
        if source.get("AcceptedAnswerId"):
            assert local.accepted_answer.external_id == int(source["AcceptedAnswerId"])
        else:
            assert local.accepted_answer is None
        assert local.answer_count == sum(1 for a in answers if a["ParentId"] == source["Id"])
    duplicates = [link for link in rows("PostLinks.xml") if link["LinkTypeId"] == "3"]
    assert QuestionLink.objects.filter(kind="duplicate").count() == len(duplicates)
    assert "4 × post of type tag wiki (its excerpt" in imported
    assert "tag wiki excerpt (not" not in imported


def test_every_tag_comes_with_its_wiki_excerpt_as_description(imported, client):
    from taggit.models import Tag

    from community.models import TagInfo

    listed = rows("Tags.xml")
    assert set(Tag.objects.values_list("name", flat=True)) >= {row["TagName"] for row in listed}
    with_excerpt = [row for row in listed if row.get("ExcerptPostId")]
    assert TagInfo.objects.count() == len(with_excerpt)
    info = TagInfo.objects.select_related("tag").exclude(excerpt="").first()
    page = client.get(f"/tags/{info.tag.name}/").content.decode()
    assert "From the tag wiki of conlang.meta.stackexchange.com" in page


def test_bodies_are_the_markdown_source_from_the_history_and_revisions_are_kept(imported):
    history = [r for r in rows("PostHistory.xml") if r["PostHistoryTypeId"] in {"2", "5", "8"}]
    last_body: dict[str, str] = {}
    for row in sorted(history, key=lambda r: (r["CreationDate"], int(r["Id"]))):
        last_body[row["PostId"]] = row["Text"]
    for question in Question.objects.all():
        assert question.body == last_body[str(question.external_id)]
    edited = max(Question.objects.all(), key=lambda q: q.revisions.count())
    assert edited.revisions.count() > 1
    assert edited.revisions.last().body == edited.body


def test_authors_are_placeholders_nobody_can_sign_in_as(imported, client):
    question = Question.objects.exclude(author__imported_as__key__startswith="name:").first()
    author = question.author
    assert author.imported_as.key.lstrip("-").isdigit()
    assert not author.has_usable_password() and author.email == ""
    assert not client.login(username=author.username, password="")
    response = client.post("/accounts/login/", {"login": author.username, "password": "x"})
    assert b"not correct" in response.content or response.status_code == 200
    assert "_auth_user_id" not in client.session
    profile = client.get(author.get_absolute_url())
    assert b"has not been claimed yet" in profile.content


def test_page_carries_attribution_licence_and_duplicate_link(imported, client):
    link = QuestionLink.objects.filter(kind="duplicate").select_related("source", "target").first()
    page = client.get(link.source.get_absolute_url()).content.decode()
    assert "Duplicate of:" in page and link.target.get_absolute_url() in page
    assert f"https://conlang.meta.stackexchange.com/q/{link.source.external_id}" in page
    licence = link.source.licence.rsplit(" ", 1)[-1]
    assert f'href="https://creativecommons.org/licenses/by-sa/{licence}/" rel="license noopener"' in page
    target_page = client.get(link.target.get_absolute_url()).content.decode()
    assert "Duplicates of this:" in target_page


def test_running_twice_changes_nothing(imported, django_capture_on_commit_callbacks):
    def snapshot():
        return (
            list(Question.objects.order_by("pk").values()),
            list(Answer.objects.order_by("pk").values()),
            list(Comment.objects.order_by("pk").values_list("pk", "body", "author")),
            User.objects.count(),
            Revision.objects.count(),
            QuestionLink.objects.count(),
        )

    before = snapshot()
    again = run_import(CONLANG, django_capture_on_commit_callbacks)
    assert snapshot() == before
    assert "questions: 0 new, 54 already imported" in again


def test_history_sends_no_mail_earns_no_badges_and_is_searchable(imported):
    assert mail.outbox == []
    assert Notification.objects.count() == 0
    busiest = max(ImportedUser.objects.select_related("user"), key=lambda p: p.user.answers.count())
    assert busiest.user.answers.count() >= 5
    assert award_badges([busiest.user.pk]) == []
    title = Question.objects.order_by("-score").first().title
    hits = get_engine().search(SearchQuery(text=title)).hits
    assert hits and hits[0].title == title


def test_the_search_worker_indexes_an_import_in_chunks_and_relates_each_thread_once(imported):
    """One outbox item per chunk, not one per thread (each of which would also refresh
    its neighbours' related lists); every thread gets its related list, worked out with
    the whole import in the index."""
    topics = Counter(OutboxItem.objects.values_list("topic", flat=True))
    assert topics["search.index"] == 0
    assert topics["search.index_many"] == topics["search.related"] == 1
    assert not OutboxItem.objects.filter(processed_at__isnull=True).exists()
    assert not Question.objects.filter(related_at__isnull=True).exists()
    newest = Question.objects.order_by("-pk").first()
    assert get_engine().search(SearchQuery(text=newest.title)).hits[0].key == f"question:{newest.pk}"
    assert sum(1 for q in Question.objects.all() if q.related_keys) > 40


def test_local_votes_add_to_the_imported_score_and_recount_keeps_the_baseline(imported, user_factory):
    question = Question.objects.filter(imported_score__gt=0).first()
    baseline = question.imported_score
    cast_vote(question, by=user_factory(reputation=500), value=1)
    question.refresh_from_db()
    assert question.score == baseline + 1
    out = io.StringIO()
    call_command("recount_community", "--fix", stdout=out)
    question.refresh_from_db()
    assert question.score == baseline + 1
    assert "Fixed 0 drifted" in out.getvalue()


def test_staff_hand_a_placeholder_to_its_person_through_the_claim_link(imported, client, user_factory):
    admin = User.objects.create_superuser("root", "root@example.com", PASSWORD)
    placeholder = ImportedUser.objects.first().user
    placeholder.email = "claimed@example.com"
    placeholder.save()
    client.force_login(admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "send_claim_link", "_selected_action": [placeholder.pk]},
        follow=True,
    )
    assert b"Sent 1 claim link" in response.content
    link = re.search(r"https?://[^/]+(/accounts/password/reset/key/\S+)", mail.outbox[-1].body).group(1)
    client.logout()
    form_page = client.get(link, follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )
    assert response.status_code in (200, 302)
    placeholder.refresh_from_db()
    assert placeholder.has_usable_password()
    assert placeholder.check_password("a brand new passphrase")


def write_dump(folder: Path, posts: str, **files: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "Posts.xml").write_text(f'<?xml version="1.0" encoding="utf-8"?>\n<posts>{posts}</posts>')
    for name, body in files.items():
        (folder / f"{name}.xml").write_text(
            f'<?xml version="1.0" encoding="utf-8"?>\n<{name.lower()}>{body}</{name.lower()}>'
        )
    return folder


def test_pipe_tags_html_only_bodies_and_orphans_are_handled_and_reported(
    tmp_path, django_capture_on_commit_callbacks
):
    folder = write_dump(
        tmp_path / "example.stackexchange.com",
        '<row Id="1" PostTypeId="1" CreationDate="2024-01-02T03:04:05" Score="3" Title="Chain &lt;skips&gt;"'
        ' Body="&lt;p&gt;It skips &amp;amp; clicks.&lt;/p&gt;&lt;p&gt;Second&lt;/p&gt;"'
        ' Tags="|drivetrain|chain|"'
        ' OwnerDisplayName="Gone Person" ContentLicense="CC BY-SA 4.0" />'
        '<row Id="2" PostTypeId="2" ParentId="99" CreationDate="2024-01-02T03:04:05" Score="0" Body="x" />'
        '<row Id="3" PostTypeId="5" CreationDate="2024-01-02T03:04:05" Score="0" Body="wiki" />',
        Comments='<row Id="1" PostId="1" Text="Same here" CreationDate="2024-01-03T00:00:00" UserId="7" />'
        '<row Id="2" PostId="42" Text="orphan" CreationDate="2024-01-03T00:00:00" UserId="7" />',
    )
    out = run_import(folder, django_capture_on_commit_callbacks)
    question = Question.objects.get()
    assert sorted(question.tags.names()) == ["chain", "drivetrain"]
    assert question.title == "Chain <skips>"
    assert question.body == "It skips & clicks.\n\nSecond"
    assert question.author.display_name == "Gone Person"
    assert question.comments.get().body == "Same here"
    assert "1 × answer whose question is not in the dump" in out
    assert "1 × comment on a post not imported" in out
    assert "2 × Markdown source missing: body taken from the HTML as text" in out
    assert "1 × post of type tag wiki" in out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d, "is not a folder"),
        (lambda d: (d.mkdir(), d)[1], "has no Posts.xml"),
        (lambda d: write_dump(d, '<row Id="1" PostTypeId="1"'), "is not well-formed XML"),
        (
            lambda d: (
                d.mkdir(),
                (d / "Posts.xml").write_text(
                    '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                    '<posts><row Id="1" Title="&b;" /></posts>'
                ),
                d,
            )[2],
            "uses XML features a dump never needs",
        ),
    ],
    ids=["missing", "empty-folder", "broken-xml", "entity-expansion"],
)
def test_unreadable_dumps_get_a_clear_message(tmp_path, make, message):
    folder = make(tmp_path / "bad.stackexchange.com")
    with pytest.raises(CommandError, match=message):
        call_command("import_stackexchange", str(folder), stdout=io.StringIO(), stderr=io.StringIO())
    assert Question.objects.count() == 0


@pytest.mark.slow
@pytest.mark.parametrize("site", ["bicycles.meta.stackexchange.com", "french.meta.stackexchange.com"])
def test_the_larger_dumps_import_completely_and_every_thread_renders(
    site, client, django_capture_on_commit_callbacks
):
    folder = DATA / "stackexchange" / site
    posts = [dict(r.attrib) for r in ET.parse(folder / "Posts.xml").getroot()]  # noqa: S314 (our own fixture)
    first = run_import(folder, django_capture_on_commit_callbacks)
    assert Question.objects.count() == sum(1 for p in posts if p["PostTypeId"] == "1")
    assert Answer.objects.count() == sum(1 for p in posts if p["PostTypeId"] == "2")
    assert "Skipped:" in first
    again = run_import(folder, django_capture_on_commit_callbacks)
    assert " 0 new" in again and "questions: 0 new" in again
    for question in Question.objects.all():
        response = client.get(question.get_absolute_url())
        assert response.status_code == 200, question.pk
        assert b"Originally posted" in response.content
