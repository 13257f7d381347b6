"""The question list, detail and ask pages through the test client."""

from __future__ import annotations

import json

import html5lib
import pytest

from community.actions.answers import accept_answer
from community.models import Question

pytestmark = pytest.mark.django_db


def test_asking_through_the_form_redirects_to_the_readable_url(client, member, category):
    client.force_login(member)
    body = "My **invoice** export is empty.\n\n    code block\n"
    response = client.post(
        "/questions/ask/",
        {
            "title": "Invoice export comes out empty",
            "body": body,
            "category": category.pk,
            "tags": "Export, pdf export",
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/questions/{question.pk}/invoice-export-comes-out-empty/"
    assert question.body == body
    assert sorted(question.tags.names()) == ["export", "pdf"]


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "A perfectly fine body for the question.", "This field is required."),
        ("          ", "A perfectly fine body for the question.", "cannot be empty or only spaces"),
        ("Too short", "A perfectly fine body for the question.", "at least 10 characters"),
        ("x" * 151, "A perfectly fine body for the question.", "at most 150 characters"),
        ("A fine title for a question", "   \n\t   \n   \n        \n", "cannot be empty or only spaces"),
        ("A fine title for a question", "short", "at least 20 characters"),
        ("A fine title for a question", "y" * 30001, "at most 30000 characters"),
        (
            "A fine title \x00 with a NUL",
            "A perfectly fine body for the question.",
            "Null characters are not allowed",
        ),
    ],
)
def test_bad_questions_get_a_clear_message_and_keep_the_text(client, member, category, title, body, message):
    client.force_login(member)
    response = client.post("/questions/ask/", {"title": title, "body": body, "category": category.pk})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Question.objects.exists()
    if body.strip() and len(body) < 1000:
        assert body.strip() in response.content.decode()


def test_too_many_or_invalid_tags_are_refused(client, member, category):
    client.force_login(member)
    data = {
        "title": "A fine title for a question",
        "body": "A perfectly fine body for the question.",
        "category": category.pk,
    }
    response = client.post("/questions/ask/", {**data, "tags": "a b c d e f"})
    assert response.status_code == 400 and "at most 5 tags" in response.content.decode()
    response = client.post("/questions/ask/", {**data, "tags": "<script>"})
    assert response.status_code == 400 and "may only use letters" in response.content.decode()


def test_a_visitor_is_sent_to_log_in_before_asking(client):
    response = client.get("/questions/ask/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_wrong_slug_redirects_to_the_right_one(client, question):
    response = client.get(f"/questions/{question.pk}/not-the-slug/")
    assert response.status_code == 301 and response["Location"] == question.get_absolute_url()
    assert client.get(f"/questions/{question.pk}/")["Location"] == question.get_absolute_url()


def test_an_unsluggable_title_falls_back_to_the_id(question_factory, client):
    question = question_factory(title="🔥🔥🔥 ??? !!! 🔥🔥🔥")
    assert question.get_absolute_url() == f"/questions/{question.pk}/{question.pk}/"
    assert client.get(question.get_absolute_url()).status_code == 200


def test_the_question_page_has_qapage_structured_data(client, question, answer_factory, member):
    answer = answer_factory(question=question, body="Use </script><script>alert(1)</script> carefully")
    accept_answer(answer, by=member)
    content = client.get(question.get_absolute_url()).content.decode()
    document = html5lib.parse(content, namespaceHTMLElements=False)
    blocks = [s.text for s in document.iter("script") if s.get("type") == "application/ld+json"]
    data = json.loads(blocks[0])
    assert data["@type"] == "QAPage"
    assert data["mainEntity"]["name"] == question.title
    assert data["mainEntity"]["acceptedAnswer"]["text"] == answer.body
    # The only executable scripts on the page are our own static files.
    srcs = [s.get("src") for s in document.iter("script") if s.get("type") != "application/ld+json"]
    assert all(src and src.startswith("/static/") for src in srcs)


def test_the_accepted_answer_is_pinned_first(client, question, answer_factory, member, user_factory):
    from community.actions.votes import cast_vote

    popular = answer_factory(question=question, body="The popular answer with votes.")
    for _ in range(3):
        cast_vote(popular, by=user_factory(reputation=20), value=1)
    accepted = answer_factory(question=question, body="The answer that actually worked.")
    accept_answer(accepted, by=member)
    content = client.get(question.get_absolute_url()).content.decode()
    assert content.index(f'id="answer-{accepted.pk}"') < content.index(f'id="answer-{popular.pk}"')
    assert "Solved" in content


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("status=open", {"open"}),
        ("status=answered", {"answered"}),
        ("status=solved", {"solved"}),
        ("sort=unanswered", {"open"}),
        ("tag=special", {"open"}),
        ("category=other", {"answered"}),
        ("", {"open", "answered", "solved"}),
    ],
)
def test_the_list_filters_by_status_tag_and_category(
    client, question_factory, answer_factory, query, expected
):
    from community.models import Category

    other = Category.objects.create(name="Other", slug="other")
    open_q = question_factory(title="open question about something", tags=["special"])
    answered = question_factory(title="answered question about something", category=other)
    answer_factory(question=answered)
    solved = question_factory(title="solved question about something")
    accept_answer(answer_factory(question=solved), by=solved.author)
    content = client.get(f"/questions/?{query}").content.decode()
    shown = {
        name
        for name, q in [("open", open_q), ("answered", answered), ("solved", solved)]
        if q.title in content
    }
    assert shown == expected


def test_the_list_sorts_by_votes(client, question_factory, user_factory):
    from community.actions.votes import cast_vote

    low, high = (
        question_factory(title="low scored question here"),
        question_factory(title="high scored question here"),
    )
    cast_vote(high, by=user_factory(reputation=20), value=1)
    content = client.get("/questions/?sort=votes").content.decode()
    assert content.index(high.title) < content.index(low.title)


def test_the_list_paginates(client, question_factory, settings):
    settings.COMMUNITY_QUESTIONS_PER_PAGE = 2
    for n in range(5):
        question_factory(title=f"paginated question number {n}")
    page3 = client.get("/questions/?page=3").content.decode()
    assert "paginated question number 0" in page3 and "Page 3 of 3" in page3


@pytest.mark.parametrize("query", ["sort=sideways", "status=maybe", "page=-1", "page=abc", "category=%00"])
def test_bad_list_parameters_get_a_400_with_a_message(client, query):
    response = client.get(f"/questions/?{query}")
    assert response.status_code == 400
    assert "not understood" in response.content.decode()


def test_an_unknown_category_is_a_404(client):
    assert client.get("/questions/?category=nope").status_code == 404


def test_the_tags_pages_list_tags_and_their_questions(client, question):
    assert "billing" in client.get("/tags/").content.decode()
    assert question.title in client.get("/tags/billing/").content.decode()
    assert question.title not in client.get("/tags/unknown-tag/").content.decode()


def test_a_deleted_question_is_a_404_for_members_but_visible_to_staff(
    client, question, member, support_agent
):
    from community.actions.questions import delete_question

    delete_question(question, by=member)
    assert client.get(question.get_absolute_url()).status_code == 404
    client.force_login(support_agent)
    assert "Deleted" in client.get(question.get_absolute_url()).content.decode()


def test_the_live_preview_renders_sanitized_markdown(client):
    response = client.post("/questions/preview/", {"body": "**hi** <img src=x onerror=alert(1)>"})
    assert response.status_code == 200
    assert "<strong>hi</strong>" in response.content.decode()
    assert "onerror=alert" not in response.content.decode().replace("&lt;", "<").split("<strong>")[0]
    assert "<img" not in response.content.decode()


def test_tag_autocomplete_suggests_existing_tags(client, question):
    response = client.get("/tags/autocomplete/?tags=pdf, bil")
    assert 'data-tag-suggestion="billing"' in response.content.decode()


def test_the_revisions_page_shows_the_diff(client, question, member):
    from community.actions.questions import edit_question

    edit_question(
        question,
        by=member,
        title=question.title,
        body=question.body + " Added words.",
        category=question.category,
        tags=list(question.tags.names()),
    )
    content = client.get(f"/questions/{question.pk}/revisions/").content.decode()
    assert "<ins> Added words.</ins>" in content or "<ins>Added words.</ins>" in content.replace(
        "<ins> ", "<ins>"
    )
    assert "Revision 2" in content


def test_a_title_that_slugs_to_an_action_name_still_gets_its_own_url(question_factory, client):
    question = question_factory(title="Vote !!!!!! ??????")
    assert question.get_absolute_url() == f"/questions/{question.pk}/vote-{question.pk}/"
    assert client.get(question.get_absolute_url()).status_code == 200
