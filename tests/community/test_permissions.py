"""The permission layer: one shared setup, one condition flipped per case."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from community import permissions
from community.actions.answers import delete_answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread(question, answer_factory):
    return question, answer_factory(question=question)


def test_the_asker_may_accept_and_vote_on_others(thread, member):
    question, answer = thread
    assert permissions.can_accept(member, answer)
    assert permissions.can_vote(member, answer)
    assert not permissions.can_vote(member, question)


def test_a_visitor_may_do_nothing(thread):
    question, answer = thread
    visitor = AnonymousUser()
    assert not any(
        [
            permissions.can_vote(visitor, answer),
            permissions.can_accept(visitor, answer),
            permissions.can_edit(visitor, answer),
            permissions.can_answer(visitor, question),
            permissions.can_comment(visitor, question),
            permissions.can_me_too(visitor, question),
            permissions.can_delete(visitor, answer),
        ]
    )


def test_an_inactive_member_may_not_write(thread, other_member):
    question, answer = thread
    other_member.is_active = False
    assert not permissions.can_answer(other_member, question)
    assert not permissions.can_vote(other_member, answer)


def test_another_member_may_vote_but_not_accept_edit_or_delete(thread, other_member):
    _question, answer = thread
    assert permissions.can_vote(other_member, answer)
    assert not permissions.can_accept(other_member, answer)
    assert not permissions.can_edit(other_member, answer)
    assert not permissions.can_delete(other_member, answer)


def test_an_advocate_may_edit_and_restore_but_not_accept(thread, advocate):
    _question, answer = thread
    assert permissions.can_edit(advocate, answer)
    assert not permissions.can_accept(advocate, answer)
    delete_answer(answer, by=answer.author)
    assert permissions.can_restore(advocate, answer)  # moderators undelete


def test_support_staff_may_accept_see_deleted_and_restore(thread, support_agent):
    _question, answer = thread
    assert permissions.can_accept(support_agent, answer)
    delete_answer(answer, by=answer.author)
    assert permissions.can_see_deleted(support_agent)
    assert permissions.can_restore(support_agent, answer)


def test_a_deleted_answer_can_no_longer_be_voted_or_accepted(thread, member, other_member):
    _question, answer = thread
    delete_answer(answer, by=answer.author)
    assert not permissions.can_vote(other_member, answer)
    assert not permissions.can_accept(member, answer)


def test_a_product_manager_has_no_support_powers(thread, product_manager):
    _question, answer = thread
    assert not permissions.can_accept(product_manager, answer)
    assert not permissions.can_see_deleted(product_manager)


def test_the_header_follows_the_permission_layer_not_the_admin_flag(client, user_factory):
    """Support staff whose admin flag was never set still get their links; someone with the
    admin flag but no support role gets only the admin link (the queue would 403)."""
    from accounts.models import User
    from accounts.roles import SUPPORT_STAFF

    staff = user_factory(roles=(SUPPORT_STAFF,))
    User.objects.filter(pk=staff.pk).update(is_staff=False)
    client.force_login(staff)
    page = client.get("/").content.decode()
    assert "Support queue" in page and "My work" in page and ">Admin<" not in page
    assert client.get("/support/queue/").status_code == 200

    flagged = user_factory(is_staff=True)
    client.force_login(flagged)
    page = client.get("/").content.decode()
    assert "Support queue" not in page and "My work" not in page and ">Admin<" in page
    assert client.get("/support/queue/").status_code == 403


def test_the_suspension_reason_is_for_the_member_and_support_staff(client, user_factory, support_agent):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.models import User

    suspended = user_factory(reputation=500)
    User.objects.filter(pk=suspended.pk).update(
        suspended_until=timezone.now() + timedelta(days=2), suspension_reason="Repeated spam links"
    )
    url = f"/users/{suspended.username}/"
    flagged = user_factory(is_staff=True)  # the admin flag alone is no support role
    for who, sees in ((suspended, True), (support_agent, True), (flagged, False), (user_factory(), False)):
        client.force_login(who)
        assert ("Repeated spam links" in client.get(url).content.decode()) is sees, who


def test_answers_and_comments_of_a_deleted_thread_are_hidden_wherever_they_are_loaded(
    client, question, answer_factory, comment_factory, other_member, advocate
):
    from community.actions.questions import delete_question

    answer = answer_factory(question=question)
    on_answer = comment_factory(answer)
    on_question = comment_factory(question)
    delete_question(question, by=question.author)
    client.force_login(other_member)
    for url in (
        f"/answers/{answer.pk}/",
        f"/comments/{on_answer.pk}/",
        f"/comments/{on_question.pk}/",
        f"/answers/{answer.pk}/edit/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/answers/{answer.pk}/flag/", {"reason": "spam"}).status_code == 404
    assert client.post(f"/comments/{on_answer.pk}/flag/", {"reason": "spam"}).status_code == 404
    client.force_login(advocate)  # moderators still see everything, to restore it
    assert client.get(f"/answers/{answer.pk}/").status_code == 302
    assert client.get(f"/comments/{on_answer.pk}/").status_code == 302
