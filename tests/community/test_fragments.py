"""Stored answer blocks (community/fragments.py) are never stale and never another
reader's: after each kind of change, for each kind of reader, the page built from stored
blocks is the page rendered from scratch (CSRF tokens aside, which are the reader's own)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from accounts.actions import update_profile
from community.actions.answers import accept_answer, edit_answer
from community.actions.closing import lock_thread
from community.actions.comments import add_comment
from community.actions.reputation import adjust_reputation
from community.actions.soft_delete import withdraw
from community.actions.votes import cast_vote
from community.models import Answer, Comment, Question

pytestmark = pytest.mark.django_db

_TOKENS = re.compile(r'(csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]+')


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return _TOKENS.sub(r"\1TOKEN", response.content.decode())


def _fresh(client: Client, url: str, settings: Any) -> str:
    settings.COMMUNITY_FRAGMENT_CACHE_SECONDS = 0
    try:
        return _page(client, url)
    finally:
        settings.COMMUNITY_FRAGMENT_CACHE_SECONDS = 3600


@pytest.fixture
def thread(question_factory, answer_factory, member, other_member, user_factory) -> dict[str, Any]:
    question = question_factory(author=member)
    answers = [answer_factory(question=question, author=other_member) for _ in range(2)]
    answers.append(answer_factory(question=question, author=user_factory(reputation=300)))
    add_comment(answers[0], author=member, body="Did that for the March invoice too?")
    return {"question": question, "answers": answers, "asker": member, "answerer": other_member}


def _vote(t: dict[str, Any], by: Any) -> None:
    cast_vote(t["answers"][1], by=by, value=1)


def _accept(t: dict[str, Any], by: Any) -> None:
    accept_answer(t["answers"][0], by=t["asker"])


def _comment(t: dict[str, Any], by: Any) -> None:
    add_comment(t["answers"][2], author=t["asker"], body="This one worked for me, thanks.")


def _delete_comment(t: dict[str, Any], by: Any) -> None:
    withdraw(Comment.objects.get(answer=t["answers"][0]), by=t["asker"])


def _edit(t: dict[str, Any], by: Any) -> None:
    edit_answer(t["answers"][1], by=t["answerer"], body="Updated: use the Export All button in Billing.")


def _delete_answer(t: dict[str, Any], by: Any) -> None:
    withdraw(Answer.objects.get(pk=t["answers"][2].pk), by=t["answers"][2].author)


def _reputation(t: dict[str, Any], by: Any) -> None:
    adjust_reputation(t["answerer"], points=4000, source_key="fragments")


def _rename(t: dict[str, Any], by: Any) -> None:
    update_profile(t["answerer"], changes={"display_name": "Rosa from Billing"})


def _lock(t: dict[str, Any], by: Any) -> None:
    from accounts.models import User

    moderator = User.objects.create_superuser("locker", "locker@example.com", "x")
    lock_thread(Question.objects.get(pk=t["question"].pk), by=moderator, reason="Resolved in release notes")


CHANGES: dict[str, Callable[[dict[str, Any], Any], None]] = {
    "vote": _vote, "accept": _accept, "comment": _comment, "delete comment": _delete_comment,
    "edit answer": _edit, "delete answer": _delete_answer, "author's reputation": _reputation,
    "author's name": _rename, "lock": _lock,
}  # fmt: skip
READERS = ["visitor", "asker", "answerer", "member", "another member", "advocate"]


@pytest.mark.parametrize("change", list(CHANGES))
def test_stored_answer_blocks_match_a_fresh_render_for_every_reader(
    thread, change, settings, user_factory, advocate
) -> None:
    voter = user_factory(reputation=500)
    # Two members alike but for one comment: only its author may delete it.
    add_comment(thread["answers"][1], author=voter, body="Same here, on the yearly plan.")
    people = {"asker": thread["asker"], "answerer": thread["answerer"], "member": voter,
              "another member": user_factory(reputation=500), "advocate": advocate}  # fmt: skip
    clients = {}
    for reader in READERS:
        clients[reader] = Client()
        if reader != "visitor":
            clients[reader].force_login(people[reader])
    url = thread["question"].get_absolute_url()
    for reader in READERS:  # every reader's blocks stored before the change
        assert _page(clients[reader], url) == _fresh(clients[reader], url, settings), reader
    CHANGES[change](thread, voter)
    url = Question.objects.get(pk=thread["question"].pk).get_absolute_url()
    for reader in READERS:
        assert _page(clients[reader], url) == _fresh(clients[reader], url, settings), (change, reader)


def test_readers_who_see_a_block_alike_share_one_copy(thread, user_factory, settings) -> None:
    from django.core.cache import caches

    first, second = user_factory(reputation=500), user_factory(reputation=500)
    url = thread["question"].get_absolute_url()
    for person in (first, second):
        client = Client()
        client.force_login(person)
        client.get(url)
    stored = [key for key in caches["pages"]._cache if "fragment:answer" in key]  # type: ignore[attr-defined]
    assert len(stored) == len(thread["answers"])  # one copy per answer, not per reader


def test_a_stored_block_carries_the_readers_own_csrf_token(thread, user_factory) -> None:
    first, second = user_factory(reputation=500), user_factory(reputation=500)
    url = thread["question"].get_absolute_url()
    tokens = []
    for person in (first, second):
        client = Client(enforce_csrf_checks=True)
        client.force_login(person)
        page = client.get(url).content.decode()
        token = re.findall(r'csrfmiddlewaretoken" value="([^"]+)', page)[-1]
        tokens.append(token)
        vote = client.post(
            f"/answers/{thread['answers'][1].pk}/vote/", {"direction": "up", "csrfmiddlewaretoken": token}
        )
        assert vote.status_code in (200, 302), vote.status_code
