"""Search: indexing through the outbox, queries with filters, highlights, did-you-mean,
similar-question hints, reconciliation and rebuild, and absurd input."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import html5lib
import pytest
from django.core.management import call_command
from django.utils import timezone

from community.actions import outbox
from community.actions.answers import accept_answer, post_answer
from community.actions.questions import ask_question, delete_question, edit_question
from community.actions.search import rebuild, reconcile
from community.models import Category, Question
from community.search import SearchQuery, get_engine
from tests.corpora import naughty_strings, unsafe_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(django_capture_on_commit_callbacks):
    """Run actions with their after-commit work (the outbox) executed, as in production."""

    def run(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


def ask(indexed, member, category, title, body, tags=()):
    return indexed(ask_question, author=member, title=title, body=body, category=category, tags=list(tags))


def search(text: str, **filters) -> list[str]:
    return [hit.title for hit in get_engine().search(SearchQuery(text=text, **filters)).hits]


def test_asking_indexes_the_thread_through_the_search_queue(indexed, member, category):
    assert outbox.queue_for("search.index") == "search"
    assert outbox.queue_for("notify.answer_posted") == "celery"
    ask(
        indexed,
        member,
        category,
        "Bank sync stopped with error 429",
        "The bank feed shows too many requests.",
    )
    assert search("bank sync") == ["Bank sync stopped with error 429"]


def test_answers_edits_and_deletion_keep_the_index_current(indexed, member, other_member, category):
    question = ask(indexed, member, category, "Invoice PDF shows wrong currency", "Every PDF shows dollars.")
    indexed(post_answer, question, author=other_member, body="Change the template locale to de-CH.")
    assert search("template locale") == [question.title]  # answers are part of the thread
    new_title = "Invoice PDF shows the wrong currency symbol"
    indexed(
        edit_question, question, by=member, title=new_title, body=question.body, category=category, tags=[]
    )
    assert search("symbol") == [new_title]
    indexed(delete_question, question, by=member)
    assert search("currency") == []


def test_stemming_phrases_and_highlighted_snippets(indexed, member, category):
    ask(
        indexed,
        member,
        category,
        "Exporting invoices to CSV",
        "I export invoices <b>every</b> month to a CSV file.",
    )
    ask(indexed, member, category, "Monthly CSV of expenses", "Expenses only, not invoices to export.")
    assert "Exporting invoices to CSV" in search("export invoice")  # stemmed
    assert search('"invoices every month"') == ["Exporting invoices to CSV"]
    hit = get_engine().search(SearchQuery(text="export")).hits[0]
    assert "<mark>" in hit.snippet_html
    assert "<b>" not in hit.snippet_html  # user text is escaped (the Markdown renderer shows it as text)


def test_filters_by_tag_category_status_and_date(indexed, member, category, answer_factory):
    other = Category.objects.create(name="Mobile", slug="mobile")
    old = ask(
        indexed,
        member,
        category,
        "Sync issue on the old app",
        "Sync never finishes on the old app.",
        ["export"],
    )
    new = indexed(
        ask_question,
        author=member,
        title="Sync issue on mobile",
        body="Sync on my phone.",
        category=other,
        tags=["billing"],
    )
    Question.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=30))
    indexed(accept_answer, answer_factory(question=new), by=member)
    reconcile()  # the date change above was made behind the actions' backs; reconcile repairs it
    assert search("sync", tag="billing") == [new.title]
    assert search("sync", category="billing") == [old.title]
    assert search("sync", solved=True) == [new.title]
    assert search("sync", solved=False) == [old.title]
    assert search("sync", created_from=timezone.now() - timedelta(days=7)) == [new.title]


def test_solved_threads_rank_higher(indexed, member, category, answer_factory):
    plain = ask(indexed, member, category, "Printer offline after update", "Printer offline.")
    solved = ask(indexed, member, category, "Printer offline after upgrade", "Printer offline.")
    indexed(accept_answer, answer_factory(question=solved), by=member)
    results = search("printer offline")
    assert results[0] == solved.title and plain.title in results


def test_did_you_mean_for_misspellings(indexed, member, category):
    ask(indexed, member, category, "Reconciliation report missing", "Where is the report?")
    assert get_engine().search(SearchQuery(text="reconcilation")).suggestion == "reconciliation"


@pytest.mark.parametrize(
    "raw",
    ["", "   ", "x" * 10_000, "AND OR NOT", '"" () ** ~~ ^^', "\x00\x01\x02 bank", "title:secret key:q:1",
     "a" * 300 + " bank", "the of and", "bank*", "[a TO z]"],
)  # fmt: skip
def test_absurd_queries_get_a_clear_page_never_a_500(client, indexed, member, category, raw):
    ask(indexed, member, category, "Bank sync stopped", "The bank feed is stuck.")
    response = client.get("/search/", {"q": raw})
    assert response.status_code == 200
    assert not unsafe_parts(response.content.decode(), allowed_script_srcs=("/static/",))


def test_the_search_page_shows_results_notices_and_bad_filters(client, indexed, member, category):
    ask(indexed, member, category, "Bank sync stopped", "The bank feed is stuck.")
    page = client.get("/search/", {"q": "bank"}).content.decode()
    assert "1 result" in page and "<mark>Bank</mark>" in page
    assert (
        "shortened to its first 300 characters"
        in client.get("/search/", {"q": "bank " * 3000}).content.decode()
    )
    assert client.get("/search/", {"q": "bank", "since": "2026-02-30"}).status_code == 400
    assert (
        client.get("/search/", {"q": "bank", "since": "2026-03-01", "until": "2026-01-01"}).status_code == 400
    )


def test_similar_question_hints_while_typing_a_title(client, indexed, member, category):
    ask(indexed, member, category, "Two-factor codes stopped working", "My authenticator codes fail.")
    fragment = client.get("/questions/similar/", {"title": "two-factor codes"}).content.decode()
    assert "Maybe already answered" in fragment and "stopped working" in fragment
    assert client.get("/questions/similar/", {"title": "zz"}).content.decode().strip() == ""


def test_a_question_page_shows_related_questions(client, indexed, member, category):
    first = ask(indexed, member, category, "Refund a card payment partially", "Partial refund?")
    second = ask(indexed, member, category, "Refund a PayPal payment", "Refund via PayPal?")
    page = client.get(first.get_absolute_url()).content.decode()
    assert "Related questions" in page and second.title in page
    document = html5lib.parse(page, namespaceHTMLElements=False)
    assert not [a for a in document.iter("a") if a.get("href") == f"/questions/{first.pk}/"]  # never itself


def test_reconcile_adds_missing_fixes_stale_and_drops_deleted(question_factory):
    kept = question_factory(title="Kept thread about webhooks")
    gone = question_factory(title="Gone thread about webhooks")
    get_engine().clear()  # as if the index had lost them (a crashed worker, a restored backup)
    assert search("webhooks") == []
    assert reconcile()["missing"] == 2
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    Question.objects.filter(pk=kept.pk).update(title="Kept thread about signed webhooks", score=3)
    assert reconcile()["removed"] == 1
    assert search("webhooks") == ["Kept thread about signed webhooks"]


def test_rebuild_command_indexes_everything_with_progress(question_factory, capsys):
    for n in range(3):
        question_factory(title=f"Thread number {n} about exports")
    call_command("rebuild_search_index", "--batch", "2")
    assert "Indexed 3 thread(s)." in capsys.readouterr().out
    assert len(search("exports")) == 3
    assert rebuild() == 3


def _segments() -> int:
    from django.conf import settings
    from whoosh import index

    with index.open_dir(str(settings.COMMUNITY_SEARCH_INDEX_DIR)).reader() as reader:
        return len(reader.leaf_readers())


def test_rebuild_leaves_one_segment_and_reconcile_merges_the_small_ones(question_factory, settings):
    from community.actions.search import document_for
    from community.search.whoosh_engine import WhooshEngine

    if not isinstance(getattr(get_engine(), "lexical", get_engine()), WhooshEngine):
        pytest.skip("Whoosh engine only (PostgreSQL's index is one table: nothing to merge)")
    for n in range(20):
        question_factory(title=f"Thread number {n} about exports")
    rebuild(batch=5)
    assert _segments() == 1  # four batches, then merged
    engine = get_engine()
    for n in range(3):  # the worker's commits, one thread each: a segment each
        later = question_factory(title=f"Later thread {n} about exports")
        engine.index([document_for(Question.objects.get(pk=later.pk))])
    assert _segments() == 4
    before = sorted(search("exports", per_page=50))
    settings.COMMUNITY_SEARCH_MAX_PARTS = 2
    assert reconcile()["compacted"] == 1
    assert _segments() == 2  # the big one kept, the three small ones merged (cheap)
    assert reconcile()["compacted"] == 0
    assert sorted(search("exports", per_page=50)) == before  # nothing lost or changed
    assert engine.compact() and _segments() == 1
    assert sorted(search("exports", per_page=50)) == before


def test_a_broken_index_does_not_break_the_pages(client, question, monkeypatch):
    class Broken:
        def search(self, query):
            raise OSError("index unreadable")

    monkeypatch.setattr("community.search.selectors.get_engine", Broken)
    assert client.get(question.get_absolute_url()).status_code == 200
    page = client.get("/search/", {"q": "export"})
    assert page.status_code == 200 and "Search is unavailable" in page.content.decode()


@pytest.mark.parametrize(
    "phrase", ['"invoice, payment"', '"invoice,payment"', '"Invoice, payment; refund"', "invoice, payment"]
)
def test_a_quoted_phrase_with_punctuation_finds_its_thread(indexed, member, category, client, phrase):
    title, body = "Invoice, payment; refund all failed", "Invoice, payment and refund pages fail."
    ask(indexed, member, category, title, body, tags=["billing"])
    assert search(phrase) == ["Invoice, payment; refund all failed"]
    page = client.get("/search/", {"q": phrase})
    assert page.status_code == 200 and "unavailable" not in page.content.decode()


def test_a_missing_index_says_so_and_only_the_worker_creates_it(client, question, settings, tmp_path):
    """Deleted by an operator, or not built yet: pages say search is unavailable (not an
    empty result), and a web process never creates an index of its own."""
    import shutil

    if settings.COMMUNITY_SEARCH_ENGINE != "whoosh":
        pytest.skip("the PostgreSQL engine's index is a table, migrated with the database")
    from community.search import IndexMissing
    from community.search.whoosh_engine import WhooshEngine

    rebuild()
    shutil.rmtree(settings.COMMUNITY_SEARCH_INDEX_DIR)
    page = client.get("/search/", {"q": "export"})
    assert page.status_code == 200 and "Search is unavailable" in page.content.decode()
    assert client.get(question.get_absolute_url()).status_code == 200
    assert client.get("/questions/similar/", {"title": "export invoices"}).status_code == 200
    assert not settings.COMMUNITY_SEARCH_INDEX_DIR.exists()
    with pytest.raises(IndexMissing):
        WhooshEngine(str(tmp_path / "never-built")).search(SearchQuery(text="export"))
    assert not (tmp_path / "never-built").exists()
    rebuild()  # the worker's side (and rebuild_search_index) builds it again
    assert search("export") != []


@pytest.fixture
def tiny_common_threshold(monkeypatch):
    """Call words "common" from 4 documents on, so a handful of threads shows the rule
    that otherwise starts at thousands; forgets the engine's cached statistics after."""
    from community.search import postgres_engine, whoosh_engine

    monkeypatch.setattr(whoosh_engine, "COMMON_POSTINGS", 3)
    monkeypatch.setattr(postgres_engine, "COMMON_POSTINGS", 3)
    engine = getattr(get_engine(), "lexical", get_engine())  # the engine inside the hybrid one
    yield
    if hasattr(engine, "_common"):
        engine._common = {}


def analyze_if_postgres():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE community_searchentry")
        # The engine keeps the statistics it read for a while; indexing now searches too
        # (each thread's related questions), which read them before this ANALYZE.
        engine = getattr(get_engine(), "lexical", get_engine())  # the engine inside the hybrid one
        if hasattr(engine, "_common"):
            engine._common = {}


def test_very_common_words_only_lift_title_matches_among_what_the_rare_words_find(
    indexed, member, category, tiny_common_threshold
):
    ask(indexed, member, category, "Refund for a duplicate charge", "Charged twice; want a refund please.")
    ask(indexed, member, category, "Question about a refund for annual plans", "My question: a refund?")
    ask(indexed, member, category, "Exporting reports as a question of format", "Question on export.")
    ask(indexed, member, category, "Dark mode for the dashboard", "A question: is dark mode planned?")
    ask(indexed, member, category, "Two factor login codes", "Another question on login codes.")
    analyze_if_postgres()
    # "question" is in all five threads, "refund" in two: the rare word finds the threads,
    # even the one without "question"; the common word lifts the title match first.
    assert search("refund question") == [
        "Question about a refund for annual plans",
        "Refund for a duplicate charge",
    ]
    # Common words alone are matched on titles and tags, not on every body.
    assert sorted(search("question")) == [
        "Exporting reports as a question of format",
        "Question about a refund for annual plans",
    ]
    # A phrase is taken as written.
    assert search('"question about a refund"') == ["Question about a refund for annual plans"]


def test_a_well_voted_answer_lifts_its_thread_once_reconcile_sees_the_votes(
    indexed, member, other_member, category
):
    from community.models import Answer

    plain = ask(indexed, member, category, "Webhook retries after timeout", "Do webhooks retry?")
    voted = ask(indexed, member, category, "Webhook retries after a timeout happens", "Do webhooks retry?")
    indexed(post_answer, plain, author=other_member, body="They retry five times over an hour.")
    answer = indexed(post_answer, voted, author=other_member, body="They retry five times over an hour.")
    assert search("webhook retries timeout")[0] == plain.title  # the closer title, until votes
    Answer.objects.filter(pk=answer.pk).update(score=25)  # votes are not queued one by one
    reconcile()
    assert search("webhook retries timeout")[0] == voted.title


def test_hints_leave_out_a_duplicate_listed_with_its_original(
    client, indexed, member, other_member, category
):
    from community.actions.closing import close_question

    original = ask(
        indexed, member, category, "Two-factor codes stopped working", "My authenticator codes fail."
    )
    duplicate = ask(
        indexed, other_member, category, "Two-factor codes not working", "Codes from my app fail."
    )

    def hinted(question) -> str:
        return f"/questions/{question.pk}/from-hint/"

    before = client.get("/questions/similar/", {"title": "two-factor codes working"}).content.decode()
    assert hinted(original) in before and hinted(duplicate) in before
    indexed(close_question, duplicate, by=member, reason="duplicate", duplicate_of=original)
    after = client.get("/questions/similar/", {"title": "two-factor codes working"}).content.decode()
    assert hinted(original) in after and hinted(duplicate) not in after


def test_scoring_only_some_threads_gives_them_the_scores_a_full_search_does(
    django_capture_on_commit_callbacks: Any, member: Any, category: Any
) -> None:
    """A hint's candidates are scored by the whole any-word query without reading all of
    its matches (whoosh_engine._Keys): each gets exactly the score a search gives it."""
    from whoosh import query as wq

    from community.search.whoosh_engine import WhooshEngine, _Keys

    for title, body in (
        ("Invoice totals are wrong", "The invoice shows the old tax rate."),
        ("Export invoices to CSV", "Where is the export button for invoices?"),
        ("Tax rate per country", "Can the invoice use the customer's country?"),
        ("Dark mode", "Nothing about money here."),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            ask_question(author=member, title=title, body=body, category=category, tags=[])
    engine = get_engine()
    whoosh = getattr(engine, "lexical", engine)
    if not isinstance(whoosh, WhooshEngine):
        pytest.skip("Whoosh engine only")
    searcher = whoosh._fresh_searcher()
    words = whoosh._parser(searcher.schema, any_word=True).parse("invoice tax country")
    full = {hit["key"]: hit.score for hit in searcher.search(words, limit=None)}
    some = [*list(full)[:2], "question:0"]
    only = wq.AndMaybe(_Keys(some), words)
    scored = {hit["key"]: hit.score for hit in searcher.search(only, limit=None, optimize=False)}
    assert scored == {key: full[key] for key in some[:2]}
    assert len(full) == 3
    # An edited thread is found once, as it is now; a deleted one not at all, also while
    # its segment still holds it (a deletion committed without a merge).
    first = Question.objects.get(pk=int(some[0].split(":")[1]))
    with django_capture_on_commit_callbacks(execute=True):
        edit_question(
            first,
            by=member,
            title="Invoice totals are right now",
            body=first.body,
            category=category,
            tags=[],
        )
    writer = whoosh._index(create=True).writer()
    writer.delete_by_term("key", some[1])
    writer.commit(merge=False)
    searcher = whoosh._fresh_searcher()
    hits = [(hit["key"], hit["title"]) for hit in searcher.search(_Keys(some), limit=None)]
    assert hits == [(some[0], "Invoice totals are right now")]


def test_an_index_of_an_older_schema_is_rebuilt_by_the_worker(
    django_capture_on_commit_callbacks: Any, member: Any, category: Any
) -> None:
    """A Whoosh index written by an earlier version (here: the key without its column) is
    not read; search says it is unavailable until the worker's reconcile rebuilds it."""
    from whoosh import index as whoosh_index
    from whoosh.fields import ID

    from community.search.selectors import UNAVAILABLE, safe_search
    from community.search.whoosh_engine import WhooshEngine, _schema

    engine = get_engine()
    whoosh = getattr(engine, "lexical", engine)
    if not isinstance(whoosh, WhooshEngine):
        pytest.skip("Whoosh engine only")
    with django_capture_on_commit_callbacks(execute=True):
        ask_question(
            author=member,
            title="Refund for a double charge",
            body="Charged twice.",
            category=category,
            tags=[],
        )
    older = _schema()
    older.remove("key")
    older.add("key", ID(stored=True, unique=True))
    whoosh_index.create_in(str(whoosh.path), older)
    whoosh._ix = None
    assert safe_search(SearchQuery(text="refund")).notices == [UNAVAILABLE]
    reconcile()
    assert [hit.title for hit in safe_search(SearchQuery(text="refund")).hits] == [
        "Refund for a double charge"
    ]


def test_snippets_mark_the_stems_escape_everything_and_keep_two_passages():
    from community.search.whoosh_engine import _marked_html

    assert _marked_html("Exporting <b>invoices</b> & more", {"export", "invoic"}) == (
        "<mark>Exporting</mark> &lt;b&gt;<mark>invoices</mark>&lt;/b&gt; &amp; more"
    )
    assert _marked_html("nothing here", {"export"}) == ""
    text = (
        ("alpha " * 40)
        + "export here "
        + ("beta " * 60)
        + "invoice there "
        + ("gamma " * 60)
        + "export again"
    )
    snippet = _marked_html(text, {"export", "invoic"}, passages=2)
    assert snippet.count(" … ") == 1  # two passages of the three
    assert "<mark>export</mark> here" in snippet and "<mark>invoice</mark> there" in snippet
    assert len(snippet.replace("<mark>", "").replace("</mark>", "")) <= 2 * 220 + 3
    for naughty in naughty_strings()[:200]:
        assert unsafe_parts(f"<p>{_marked_html(naughty + ' export', {'export'}, passages=2)}</p>") == []
