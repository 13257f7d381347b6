"""The hybrid search tests again, with PostgreSQL full text as the lexical engine."""

from __future__ import annotations

import pytest

from tests.community.test_hybrid_search import *  # noqa: F403 (the same tests, another engine)

pytestmark = [pytest.mark.service, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_engine(settings):
    settings.COMMUNITY_SEARCH_ENGINE = "postgres"


def test_the_real_search_worker_embeds_and_writes_the_snapshot_web_processes_map(
    member, category, celery_worker_process, settings
):
    """A real `celery worker` on the search queue embeds a new thread, then writes the
    vectors' snapshot (what beat asks for every five minutes); a web process maps it."""
    from pathlib import Path

    import numpy as np

    from community.actions.questions import ask_question
    from community.models import ThreadVector
    from community.search import SearchQuery, vectors
    from community.search.hybrid import with_vector
    from config.celery import app as celery_app
    from tests.service.conftest import wait_for

    settings.COMMUNITY_EMBEDDINGS = True
    folder = Path(celery_worker_process["env"]["ASKWELL_VAR_DIR"]) / "vectors"
    settings.COMMUNITY_VECTOR_SNAPSHOT_DIR = str(folder)
    question = ask_question(
        author=member, title="Dark mode makes the charts unreadable", body="The labels vanish.",
        category=category, tags=[],
    )  # fmt: skip
    key = f"question:{question.pk}"
    wait_for(
        lambda: ThreadVector.objects.filter(key=key, vector__isnull=False).exists(),
        timeout=90, what="the worker's embedding",
    )  # fmt: skip
    celery_app.send_task("community.snapshot_vectors", queue="search")
    wait_for(lambda: (folder / "current.json").exists(), timeout=60, what="the worker's snapshot")
    index = vectors.VectorIndex()
    index.catch_up(force=True)
    assert index._snapshot and isinstance(index._base, np.memmap) and len(index._extra) == 0
    night = with_vector(SearchQuery(text="night theme hides graph labels")).vector
    assert index.nearest(night, 1)[0][0] == key
