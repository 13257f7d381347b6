"""axe-core finds no serious or critical accessibility problems on the main pages."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group

from accounts.roles import ADVOCATE
from community.actions.answers import accept_answer
from community.actions.articles import ArticleDraft, capture_article, prefill
from community.actions.closing import close_question, lock_thread
from community.models import CloseReason
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _serious(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes, e.g. {v['nodes'][0]['html'][:120]})"
        for v in results.response["violations"]
        if v.get("impact") in ("serious", "critical")
    ]


def test_main_pages_have_no_serious_accessibility_violations(
    live_server, new_page, question, question_factory, answer_factory, member, user_factory, tmp_path
):
    accept_answer(answer_factory(question=question), by=member)
    question.refresh_from_db()
    article = capture_article(
        question,
        by=user_factory(roles=(ADVOCATE,)),
        draft=ArticleDraft(
            title="Export an invoice as PDF",
            summary="Use Download PDF in Billing.",
            body=prefill(question)["body"],
            tags=["billing"],
            review_by=prefill(question)["review_by"],
        ),
    )
    page = new_page()
    problems = {}
    pages = ["/", "/questions/", question.get_absolute_url(), "/tags/", f"/users/{member.username}/",
             "/accounts/login/", "/accounts/signup/", "/privileges/", "/leaderboard/?period=all",
             "/badges/", "/badges/student/", "/mvp/", "/articles/", article.get_absolute_url(),
             f"/articles/{article.pk}/revisions/", "/search/?q=export+pdf", "/guidelines/", "/about/",
             "/team/", "/changelog/"]  # fmt: skip
    for path in pages:
        page.goto(f"{live_server.url}{path}")
        problems[path] = _serious(page)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Login").fill(member.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    member.groups.add(Group.objects.get(name=ADVOCATE))
    duplicate = question_factory(title="PDF export of an invoice does nothing at all")
    moderator = type(member).objects.get(pk=member.pk)  # its roles as they are now
    close_question(duplicate, by=moderator, reason=CloseReason.DUPLICATE, duplicate_of=question)
    lock_thread(duplicate, by=moderator, reason="Settled; see the original")
    answer = question.answers.first()
    for path in ["/questions/ask/", question.get_absolute_url(), "/notifications/", "/profile/edit/",
                 f"/questions/{question.pk}/capture-article/", f"/articles/{article.pk}/edit/",
                 duplicate.get_absolute_url(), f"/answers/{answer.pk}/redact/", "/review/",
                 "/review/?queue=first_post", "/my-work/", "/flags/", "/coaching/"]:  # fmt: skip
        page.goto(f"{live_server.url}{path}")
        problems[f"member {path}"] = _serious(page)
    page.goto(f"{live_server.url}{question.get_absolute_url()}")
    page.screenshot(path=str(tmp_path / "question.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(tmp_path / "question-mobile.png"), full_page=True)
    assert {path: found for path, found in problems.items() if found} == {}
