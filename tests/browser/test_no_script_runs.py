"""Pages full of XSS payloads, rendered by a real browser, never open a dialog."""

from __future__ import annotations

import pytest

from community.actions.answers import post_answer
from community.actions.comments import add_comment
from community.actions.questions import ask_question
from tests.corpora import xss_sample

pytestmark = [pytest.mark.browser]


@pytest.mark.django_db(transaction=True)
def test_payloads_in_titles_bodies_answers_and_comments_stay_inert(
    live_server, new_page, dialogs, member, other_member, category
):
    payloads = xss_sample(200)
    urls = []
    for start in range(0, len(payloads), 20):
        batch = payloads[start : start + 20]
        question = ask_question(
            author=member,
            title=f"Payload {batch[0]}"[:150],
            body="\n\n".join(batch),
            category=category,
            tags=["xss"],
        )
        for payload in batch[:10]:
            post_answer(question, author=other_member, body=f"{payload}\n\n[link]({payload})")
            add_comment(question, author=other_member, body=payload[:600])
        urls.append(question.get_absolute_url())
    page = new_page()
    for url in [*urls, "/questions/?tag=xss", f"/users/{member.username}/"]:
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("load")
        hrefs = page.eval_on_selector_all("article .body a[href]", "links => links.map(a => a.href)")
        assert not [h for h in hrefs if h.lower().startswith(("javascript:", "data:", "vbscript:"))]
    page.wait_for_timeout(500)
    assert dialogs == []


def test_the_dialog_detector_itself_sees_a_script_that_runs(new_page, dialogs):
    page = new_page()
    page.set_content("<img src=x onerror=alert(7)>")
    page.wait_for_timeout(300)
    assert dialogs == ["7"]
