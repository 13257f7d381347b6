"""Asking, answering, editing, deleting and restoring, through the actions."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from community.actions.answers import delete_answer, edit_answer, restore_answer
from community.actions.questions import delete_question, edit_question, restore_question
from community.models import Follow, Question, QuestionStatus, Revision

pytestmark = pytest.mark.django_db


def test_asking_stores_the_markdown_exactly_and_renders_it(member, category):
    from community.actions.questions import ask_question

    body = "  Leading spaces, **bold**, <script>alert(1)</script>\n\ntrailing  \n"
    question = ask_question(
        author=member, title="Why is my export empty?", body=body, category=category, tags=["export"]
    )
    question.refresh_from_db()
    assert question.body == body
    assert "<strong>bold</strong>" in question.body_html
    assert "<script" not in question.body_html
    assert list(question.tags.names()) == ["export"]
    assert question.revisions.count() == 1
    assert Follow.objects.filter(user=member, question=question).exists()


def test_a_new_question_is_open_then_answered_then_solved(question, answer_factory, member):
    from community.actions.answers import accept_answer

    assert question.status == QuestionStatus.OPEN
    answer = answer_factory(question=question)
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    accept_answer(answer, by=member)
    question.refresh_from_db()
    assert question.status == QuestionStatus.SOLVED


def test_answering_counts_the_answer_and_makes_its_author_follow(question, answer_factory, other_member):
    answer_factory(question=question, author=other_member)
    question.refresh_from_db()
    assert question.answer_count == 1
    assert Follow.objects.filter(user=other_member, question=question).exists()


def test_editing_keeps_every_version_as_a_revision(question, member):
    edit_question(
        question,
        by=member,
        title="A clearer title for my question",
        body="New body text here, longer.",
        category=question.category,
        tags=["export", "pdf"],
        summary="clarified",
    )
    revisions = list(Revision.objects.filter(question=question))
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].title == "A clearer title for my question"
    assert revisions[1].tags == "export pdf"
    assert revisions[1].summary == "clarified"
    assert revisions[0].body != revisions[1].body


def test_an_edit_that_changes_nothing_adds_no_revision(question, member):
    edit_question(
        question,
        by=member,
        title=question.title,
        body=question.body,
        category=question.category,
        tags=list(question.tags.names()),
    )
    assert question.revisions.count() == 1


def test_nobody_edits_someone_elses_post(question, other_member):
    with pytest.raises(PermissionDenied):
        edit_question(
            question, by=other_member, title="Hijacked title here", body="x" * 30, category=None, tags=[]
        )
    question.refresh_from_db()
    assert question.title != "Hijacked title here"


def test_an_advocate_may_edit_someone_elses_answer(answer_factory, advocate):
    answer = answer_factory()
    edit_answer(answer, by=advocate, body="Improved wording of the answer.")
    assert answer.revisions.count() == 2
    assert answer.revisions.last().author == advocate


def test_deleting_is_soft_and_staff_can_restore(question, member, support_agent):
    delete_question(question, by=member)
    assert Question.objects.filter(pk=question.pk, is_deleted=True).exists()
    assert not Question.objects.visible_to(member).filter(pk=question.pk).exists()
    assert Question.objects.visible_to(support_agent).filter(pk=question.pk).exists()
    with pytest.raises(PermissionDenied):
        restore_question(question, by=member)
    restore_question(question, by=support_agent)
    assert Question.objects.visible_to(member).filter(pk=question.pk).exists()


def test_deleting_the_accepted_answer_unsolves_the_question(question, answer_factory, member, support_agent):
    from community.actions.answers import accept_answer

    answer = answer_factory(question=question)
    accept_answer(answer, by=member)
    delete_answer(answer, by=answer.author)
    question.refresh_from_db()
    assert question.accepted_answer is None
    assert question.answer_count == 0
    restore_answer(answer, by=support_agent)
    question.refresh_from_db()
    assert question.answer_count == 1
