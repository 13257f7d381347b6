"""A new member's spammy first post is flagged, an advocate removes it from the review
queue, and the audit log shows it — in the browser, as each of them would."""

from __future__ import annotations

import re

import pytest
from taggit.models import Tag

from community.models import AuditEntry, Question, ReviewItem
from tests.browser.test_accessibility import _serious
from tests.browser.test_journey import _log_in
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_spam_first_post_flagged_removed_from_the_queue_and_audited(
    live_server, new_page, dialogs, user_factory, newcomer, member, advocate, support_agent, category
):
    base = live_server.url
    Tag.objects.create(name="invoices", slug="invoices")

    # A new member's first post: published at once, and in the first-posts queue.
    spammer = new_page()
    _log_in(spammer, base, newcomer.username, PASSWORD)
    spammer.goto(f"{base}/questions/ask/")
    spammer.get_by_label("Title").fill("Cheap replica watches, best prices online")
    spammer.get_by_label("Body").fill("Buy cheap replica watches at watches.example, discount code SPAM.")
    spammer.get_by_label("Category").select_option(label=category.name)
    spammer.get_by_label("Tags").fill("invoices")
    spammer.get_by_role("button", name="Post your question").click()
    spammer.wait_for_url(re.compile(r".*/questions/\d+/[\w-]+/$"))
    question = Question.objects.get()
    assert ReviewItem.objects.get(question=question).kind == "first_post"

    # A member flags it as spam.
    flagger = new_page()
    _log_in(flagger, base, member.username, PASSWORD)
    flagger.goto(f"{base}{question.get_absolute_url()}")
    flag = flagger.locator(f"#question-{question.pk} details.flag")
    flag.locator("summary").click()
    flag.get_by_label("Spam").check()
    flag.get_by_role("button", name="Flag").click()
    flagger.get_by_text("Thank you: reviewers will look at it.").wait_for()

    # The advocate sees the count in the header, opens the flags queue and removes it as spam.
    reviewer = new_page()
    _log_in(reviewer, base, advocate.username, PASSWORD)
    menu = reviewer.locator("#review-menu")
    menu.get_by_label("2 waiting").wait_for()  # the first post and the flag
    menu.locator("summary").click()
    menu.get_by_role("link", name=re.compile(r"^Flags")).click()
    reviewer.get_by_role("link", name="Question: Cheap replica watches, best prices online").click()
    reviewer.get_by_text("Spam has no customer behind it").wait_for()
    problems = {"review item": _serious(reviewer)}
    reviewer.get_by_role("button", name="Claim").click()
    reviewer.get_by_label("Remove it as spam (its author loses reputation)").check()
    reviewer.get_by_label("Reason or note (the author is told when a post is removed or closed)").fill(
        "Advertising replica watches"
    )
    reviewer.get_by_role("button", name="Decide").click()
    reviewer.get_by_text("Removed as spam.").wait_for()
    problems["review list"] = _serious(reviewer)
    question.refresh_from_db()
    assert question.is_deleted
    assert set(ReviewItem.objects.filter(question=question).values_list("state", flat=True)) == {"done"}

    # Staff read the audit log: the removal, who did it, and why.
    staff = new_page()
    _log_in(staff, base, support_agent.username, PASSWORD)
    staff.goto(f"{base}/review/log/?action=flags_spam")
    staff.get_by_text("Advertising replica watches").wait_for()
    assert advocate.public_name in staff.content()
    problems["audit log"] = _serious(staff)
    assert {where: found for where, found in problems.items() if found} == {}
    assert AuditEntry.objects.filter(action="flags_spam", actor=advocate, object_id=question.pk).exists()

    # The spammer is told, and the flagger sees the flag was helpful.
    spammer.goto(f"{base}/notifications/")
    spammer.get_by_text("Advertising replica watches").wait_for()
    flagger.goto(f"{base}/flags/")
    flagger.get_by_text("Helpful").wait_for()
    assert dialogs == []
