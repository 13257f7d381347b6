"""The ask page's answer card ("This may already be answered") and the outcome classes of
each attempt to ask that saw suggestions: successful, failed, potential."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from community.actions.answers import accept_answer, post_answer
from community.actions.deflection import settle_ask_attempts
from community.actions.questions import ask_question
from community.models import DeflectionEvent, DeflectionKind

pytestmark = pytest.mark.django_db

LATER = timedelta(minutes=31)


@pytest.fixture
def solved(
    django_capture_on_commit_callbacks: Any, member: Any, other_member: Any, category: Any, settings: Any
) -> Any:
    settings.COMMUNITY_EMBEDDINGS = True  # indexed with its meaning; tests choose for their queries
    with django_capture_on_commit_callbacks(execute=True):
        question = ask_question(
            author=member,
            title="Password reset email never arrives",
            body="I asked for the link three times and nothing came.",
            category=category,
            tags=["billing"],
        )
        answer = post_answer(
            question, author=other_member, body="Check the spam folder, then add us to contacts."
        )
        accept_answer(answer, by=member)
    settings.COMMUNITY_EMBEDDINGS = False
    return question


def hints(client: Any, title: str) -> str:
    response = client.get("/questions/similar/", {"title": title})
    assert response.status_code == 200
    return response.content.decode()


def kinds() -> list[str]:
    return list(DeflectionEvent.objects.order_by("pk").values_list("kind", flat=True))


def test_a_confident_solved_match_gets_the_answer_card(
    client: Any, solved: Any, user_factory: Any, settings: Any
) -> None:
    settings.COMMUNITY_EMBEDDINGS = True
    client.force_login(user_factory())
    html = hints(client, "The password reset mail is not arriving")
    assert "This may already be answered" in html
    assert "Check the spam folder" in html
    assert f'action="/questions/{solved.pk}/answer-card/"' in html
    assert DeflectionKind.CARD_SHOWN in kinds()
    # Similar only in words, not in meaning: hints, but no card pretends.
    html = hints(client, "Password of the reset button colour")
    assert "This may already be answered" not in html


def test_no_card_without_meaning_or_for_an_unsolved_thread(
    client: Any, solved: Any, user_factory: Any, settings: Any, question_factory: Any
) -> None:
    client.force_login(user_factory())
    assert "This may already be answered" not in hints(
        client, "Password reset email never arrives"
    )  # lexical only
    settings.COMMUNITY_EMBEDDINGS = True
    solved.accepted_answer = None
    solved.save(update_fields=["accepted_answer"])
    assert "This may already be answered" not in hints(client, "Password reset email never arrives")


@pytest.mark.parametrize(
    ("verdict", "kind"), [("solved", DeflectionKind.CARD_SOLVED), ("not_mine", DeflectionKind.CARD_NOT_MINE)]
)
def test_both_answers_to_the_card_are_recorded(
    client: Any, solved: Any, user_factory: Any, verdict: str, kind: str
) -> None:
    reader = user_factory()
    client.force_login(reader)
    url = f"/questions/{solved.pk}/answer-card/"
    swapped = client.post(url, {"verdict": verdict}, headers={"HX-Request": "true"})
    assert swapped.status_code == 200 and 'class="answer-card done"' in swapped.content.decode()
    plain = client.post(url, {"verdict": verdict})
    assert plain.status_code == 302
    assert list(DeflectionEvent.objects.filter(user=reader).values_list("kind", flat=True)) == [kind, kind]
    assert client.post(url, {"verdict": "maybe"}).status_code == 400
    assert client.post("/questions/999999/answer-card/", {"verdict": "solved"}).status_code == 404


def test_visitors_are_sent_to_log_in(client: Any, solved: Any) -> None:
    response = client.post(f"/questions/{solved.pk}/answer-card/", {"verdict": "solved"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not DeflectionEvent.objects.exists()


def test_each_attempt_to_ask_gets_one_outcome_class(
    client: Any, solved: Any, user_factory: Any, category: Any
) -> None:
    said, opened, asked, left = (user_factory() for _ in range(4))
    for reader in (said, opened, asked, left):
        client.force_login(reader)
        for typed in ("Password reset", "Password reset email", "Password reset email missing"):
            hints(client, typed)  # one attempt: every keystroke's hints within the wait
        if reader is said:
            client.post(f"/questions/{solved.pk}/answer-card/", {"verdict": "solved"})
        if reader is opened:
            client.get(f"/questions/{solved.pk}/from-hint/")
        if reader is asked:
            title = "Password reset email is missing for me too"
            ask_question(
                author=asked, title=title, body="Still nothing.", category=category, tags=["billing"]
            )
    assert settle_ask_attempts() == {"deflected": 0, "asked_anyway": 0, "potential": 0}  # not over yet
    counts = settle_ask_attempts(now=timezone.now() + LATER)
    assert counts == {"deflected": 2, "asked_anyway": 1, "potential": 1}
    outcome = dict(
        DeflectionEvent.objects.filter(kind__in=["deflected", "asked_anyway", "potential"]).values_list(
            "user", "kind"
        )
    )
    assert outcome == {
        said.pk: DeflectionKind.DEFLECTED,
        opened.pk: DeflectionKind.DEFLECTED,
        asked.pk: DeflectionKind.ASKED_ANYWAY,
        left.pk: DeflectionKind.POTENTIAL,
    }
    assert settle_ask_attempts(now=timezone.now() + LATER) == {
        "deflected": 0,
        "asked_anyway": 0,
        "potential": 0,
    }


def test_a_later_attempt_is_judged_on_its_own(client: Any, solved: Any, user_factory: Any) -> None:
    reader = user_factory()
    client.force_login(reader)
    hints(client, "Password reset email")
    DeflectionEvent.objects.update(created_at=timezone.now() - timedelta(hours=3))
    hints(client, "Password reset email again")
    counts = settle_ask_attempts(now=timezone.now() + LATER)
    assert counts == {"deflected": 0, "asked_anyway": 0, "potential": 2}
