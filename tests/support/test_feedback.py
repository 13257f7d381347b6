"""Product feedback through the site: routing and rerouting, the triage inbox, demand and
support cost, public statuses with notifications, the roadmap, and who may see what."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from taggit.models import Tag

from accounts.roles import PRODUCT_MANAGER
from community.actions.engagement import follow_question, toggle_me_too
from community.actions.questions import edit_question
from community.models import LinkKind, Notification, Question, QuestionLink
from support.actions.escalations import sweep
from support.models import FeedbackItem, ProductTeam

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams(user_factory):
    for name in ("feature-request", "bug", "idea", "invoices", "payroll", "mobile", "billing", "export"):
        Tag.objects.get_or_create(name=name, defaults={"slug": name})
    invoicing = ProductTeam.objects.create(
        name="Invoicing", slug="invoicing", product_tags="invoices billing"
    )
    payroll = ProductTeam.objects.create(name="Payroll", slug="payroll", product_tags="payroll")
    pm = user_factory(username="priya", roles=(PRODUCT_MANAGER,))
    invoicing.members.add(pm)
    payroll_pm = user_factory(username="pat", roles=(PRODUCT_MANAGER,))
    payroll.members.add(payroll_pm)
    return {"invoicing": invoicing, "payroll": payroll, "pm": pm, "payroll_pm": payroll_pm}


def ask(question_factory, tags, **fields):
    return question_factory(tags=tags, **fields)


def test_a_feedback_thread_is_routed_to_each_owning_team_or_to_triage(question_factory, teams):
    one = ask(question_factory, ["feature-request", "invoices"])
    assert [(i.team.name, i.kind) for i in FeedbackItem.objects.filter(question=one)] == [
        ("Invoicing", "feature-request")
    ]
    both = ask(question_factory, ["bug", "invoices", "payroll"])
    assert sorted(i.team.name for i in FeedbackItem.objects.filter(question=both)) == ["Invoicing", "Payroll"]
    unowned = ask(question_factory, ["idea", "mobile"])
    assert FeedbackItem.objects.get(question=unowned).team is None
    plain = ask(question_factory, ["invoices"])
    assert not FeedbackItem.objects.filter(question=plain).exists()


def test_retagging_reroutes_keeping_status_and_history(question_factory, teams, category):
    question = ask(question_factory, ["feature-request", "invoices"])
    item = FeedbackItem.objects.get(question=question)
    FeedbackItem.objects.filter(pk=item.pk).update(status="planned")
    edit_question(
        question, by=question.author, title=question.title, body=question.body, category=category,
        tags=["feature-request", "payroll"],
    )  # fmt: skip
    item.refresh_from_db()
    assert item.team == teams["payroll"] and item.status == "planned"
    assert "rerouted by a retag" in list(item.history.values_list("note", flat=True))
    edit_question(
        question,
        by=question.author,
        title=question.title,
        body=question.body,
        category=category,
        tags=["payroll"],
    )
    assert not FeedbackItem.objects.filter(question=question).exists()


def test_the_inbox_shows_demand_support_cost_and_trend_and_sorts_by_them(
    client, question_factory, teams, user_factory
):
    quiet = ask(
        question_factory, ["feature-request", "invoices"], title="Export invoices as UBL files please"
    )
    loud = ask(question_factory, ["bug", "billing"], title="Billing page crashes on Safari every time")
    for _ in range(3):
        toggle_me_too(loud, user=user_factory())
    follow_question(loud, user=user_factory())
    Question.objects.filter(pk=loud.pk).update(created_at=timezone.now() - timedelta(hours=30))
    sweep()  # unanswered for 30 hours: escalated, which is support cost
    client.force_login(teams["pm"])
    page = client.get("/feedback/").content.decode()
    assert page.index("Billing page crashes") < page.index("Export invoices as UBL")
    assert "1 escalation, 3 me too" in page and "+3" in page
    newest = client.get("/feedback/?sort=age").content.decode()
    assert newest.index("Export invoices as UBL") < newest.index("Billing page crashes")
    assert client.get("/feedback/?kind=bug").content.decode().count("<tr>") == 2  # header + one row
    assert client.get("/feedback/?sort=loudest").status_code == 400
    assert "Export invoices" not in client.get("/feedback/?status=planned").content.decode()
    assert quiet.pk


def test_a_public_status_reaches_followers_and_me_too_members_and_the_roadmap(
    client, question_factory, teams, user_factory, django_capture_on_commit_callbacks
):
    question = ask(question_factory, ["feature-request", "invoices"], title="Recurring invoices on the 31st")
    fan, follower = user_factory(), user_factory()
    toggle_me_too(question, user=fan)
    follow_question(question, user=follower)
    linked_asker = user_factory()
    support_thread = question_factory(author=linked_asker, title="My recurring invoice skipped February")
    QuestionLink.objects.create(
        source=support_thread, target=question, kind=LinkKind.RELATED, created_at=timezone.now()
    )
    item = FeedbackItem.objects.get(question=question)
    client.force_login(teams["pm"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/feedback/items/{item.pk}/",
            {"status": "planned", "response": "Scheduled for the spring release."},
        )
    assert response.status_code == 302
    told = set(
        Notification.objects.filter(event="feedback_status").values_list("recipient__username", flat=True)
    )
    assert {fan.username, follower.username, question.author.username} <= told
    assert linked_asker.username not in told  # only shipping tells linked threads
    assert any(m.to == [fan.email] for m in mail.outbox)
    thread = client.get(question.get_absolute_url()).content.decode()
    assert "Planned" in thread and "Scheduled for the spring release." in thread
    client.logout()
    roadmap = client.get("/feedback/roadmap/").content.decode()
    assert "Recurring invoices on the 31st" in roadmap
    assert "Scheduled for the spring release." in client.get(question.get_absolute_url()).content.decode()
    client.force_login(teams["pm"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/feedback/items/{item.pk}/", {"status": "shipped", "response": "Out now in 4.3."})
    assert Notification.objects.filter(recipient=linked_asker, text__startswith="Shipped").exists()


def test_bulk_status_and_triage(client, question_factory, teams, support_agent):
    a = ask(question_factory, ["feature-request", "invoices"])
    b = ask(question_factory, ["bug", "invoices"])
    unowned = ask(question_factory, ["idea", "mobile"], title="Dark mode for the mobile app")
    client.force_login(teams["pm"])
    ids = list(FeedbackItem.objects.filter(question__in=[a, b]).values_list("pk", flat=True))
    client.post("/feedback/bulk-status/", {"items": ids, "status": "under_review", "response": ""})
    assert set(FeedbackItem.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"under_review"}
    response = client.post("/feedback/bulk-status/", {"status": "planned"}, follow=True)
    assert b"Choose at least one item" in response.content
    payroll_item = FeedbackItem.objects.create(
        question=ask(question_factory, ["payroll"]), team=teams["payroll"], kind="bug", state="open",
        created_at=timezone.now(), updated_at=timezone.now(),
    )  # fmt: skip
    client.post("/feedback/bulk-status/", {"items": [payroll_item.pk], "status": "declined"})
    payroll_item.refresh_from_db()
    assert payroll_item.status == ""  # not this PM's team
    client.force_login(support_agent)
    triage = client.get("/feedback/triage/").content.decode()
    assert "Dark mode for the mobile app" in triage
    item = FeedbackItem.objects.get(question=unowned)
    client.post(f"/feedback/items/{item.pk}/send/", {"team": teams["invoicing"].pk})
    assert FeedbackItem.objects.get(question=unowned).team == teams["invoicing"]
    # Sent again to the team that has it (a second click, the resilience sweep found it):
    # it stays, where it was, instead of deleting itself and answering 500.
    response = client.post(f"/feedback/items/{item.pk}/send/", {"team": teams["invoicing"].pk})
    assert response.status_code == 302
    assert FeedbackItem.objects.get(question=unowned).pk == item.pk


def test_customers_and_other_teams_are_kept_out(client, question_factory, teams, member, advocate):
    question = ask(question_factory, ["feature-request", "payroll"])
    item = FeedbackItem.objects.get(question=question)
    for outsider in (member, advocate):
        client.force_login(outsider)
        for url in ("/feedback/", "/feedback/triage/", f"/feedback/items/{item.pk}/"):
            assert client.get(url).status_code == 403, url
        assert client.post(f"/feedback/items/{item.pk}/", {"status": "shipped"}).status_code == 403
    client.force_login(teams["pm"])  # Invoicing, not Payroll
    assert client.get(f"/feedback/items/{item.pk}/").status_code == 403
    assert "Payroll" not in client.get("/feedback/").content.decode().split("<table", 1)[-1]
    client.logout()
    assert client.get("/feedback/roadmap/").status_code == 200


def test_real_meta_threads_route_from_an_import(teams, django_capture_on_commit_callbacks):
    from tests.community.test_import_stackexchange import CONLANG, run_import

    run_import(CONLANG, django_capture_on_commit_callbacks)
    ProductTeam.objects.create(name="Site", slug="site", product_tags="on-topic discussion")
    out = io.StringIO()
    call_command("route_feedback", stdout=out, stderr=io.StringIO())
    tagged = Question.objects.filter(tags__name__in=["feature-request", "bug", "idea"]).distinct()
    assert tagged.exists()
    assert FeedbackItem.objects.filter(question__in=tagged).count() >= tagged.count()
    assert f"Routed {tagged.count()} thread(s)" in out.getvalue()
    call_command("route_feedback", stdout=io.StringIO(), stderr=io.StringIO())  # idempotent
    assert FeedbackItem.objects.filter(question__in=tagged).count() >= tagged.count()
    assert Group.objects.filter(name=PRODUCT_MANAGER).exists()


def test_merging_a_duplicate_adds_its_me_toos_and_followers_to_the_original(
    client, question_factory, teams, user_factory, member
):
    original = ask(question_factory, ["feature-request", "invoices"], title="Pay invoices by card online")
    duplicate = ask(question_factory, ["feature-request", "invoices"], title="Card payments for invoices?")
    both, only_dup, follower = user_factory(), user_factory(), user_factory()
    toggle_me_too(original, user=both)
    toggle_me_too(duplicate, user=both)
    toggle_me_too(duplicate, user=only_dup)
    follow_question(duplicate, user=follower)
    client.force_login(member)  # a customer may not merge, whatever they send
    assert client.post(f"/questions/{duplicate.pk}/merge/", {"into": str(original.pk)}).status_code == 403
    assert client.post(f"/questions/{duplicate.pk}/merge/", {"into": "nonsense"}).status_code == 403
    client.force_login(teams["pm"])
    response = client.post(f"/questions/{duplicate.pk}/merge/", {"into": "not a question"})
    assert response.status_code == 400 and b"number or the link" in response.content
    response = client.post(
        f"/questions/{duplicate.pk}/merge/", {"into": f"https://x.test{original.get_absolute_url()}"}
    )
    assert response.status_code == 302
    original.refresh_from_db()
    # both (counted once), only_dup, and the duplicate's asker
    assert original.me_too_count == 3
    assert set(original.me_toos.values_list("user", flat=True)) == {both.pk, only_dup.pk, duplicate.author_id}
    assert original.follows.filter(user=follower).exists()
    assert not FeedbackItem.objects.filter(question=duplicate).exists()
    assert "merged in" in " ".join(
        FeedbackItem.objects.get(question=original).history.values_list("note", flat=True)
    )
    assert QuestionLink.objects.filter(source=duplicate, target=original, kind="duplicate").exists()
    assert "Duplicate of:" in client.get(duplicate.get_absolute_url()).content.decode()
    assert client.post(f"/questions/{original.pk}/merge/", {"into": str(original.pk)}).status_code == 403


def test_ideas_say_me_too_and_bugs_say_i_have_this_too(client, question_factory, teams, member):
    idea = ask(question_factory, ["feature-request", "invoices"])
    bug = ask(question_factory, ["bug", "invoices"])
    client.force_login(member)
    assert ">Me too<" in client.get(idea.get_absolute_url()).content.decode()
    assert "I have this too" in client.get(bug.get_absolute_url()).content.decode()


@pytest.mark.slow
def test_the_bicycles_meta_feedback_threads_route_and_digest(django_capture_on_commit_callbacks):
    """The real meta site: feature requests and bugs from bicycles.meta, routed to a team
    owning the site's own tags, then digested."""
    from support.actions.digests import run_digests
    from support.models import Digest
    from tests.community.test_import_stackexchange import run_import
    from tests.corpora import DATA

    run_import(DATA / "stackexchange" / "bicycles.meta.stackexchange.com", django_capture_on_commit_callbacks)
    team = ProductTeam.objects.create(
        name="Site", slug="site", product_tags="support tagging", digest_cadence="weekly"
    )
    call_command("route_feedback", stdout=io.StringIO(), stderr=io.StringIO())
    tagged = Question.objects.filter(tags__name__in=["feature-request", "bug", "idea"]).distinct()
    assert tagged.count() >= 40  # the dump's 39 feature requests and 13 bugs, some overlapping
    owned = FeedbackItem.objects.filter(team=team)
    triage = FeedbackItem.objects.filter(team__isnull=True)
    assert owned.exists() and triage.exists()
    assert owned.count() + triage.count() == tagged.count()
    from support.digests import period_containing

    last_week, _ = period_containing(timezone.now() - timedelta(days=7), "weekly", "UTC")
    FeedbackItem.objects.update(created_at=last_week + timedelta(days=3))
    with django_capture_on_commit_callbacks(execute=True):
        run_digests()
    digest = Digest.objects.get(team=team)
    expected = owned.filter(created_at__gte=digest.period_start, created_at__lt=digest.period_end).count()
    assert expected == owned.count() > 0
    assert len(digest.content["new"]) == expected
    assert {row["kind"] for row in digest.content["new"]} <= {"feature-request", "bug", "idea"}


def test_feedback_kinds_set_in_the_admin_replace_the_setting(question_factory, teams):
    from support.models import FeedbackKind

    FeedbackKind.objects.create(tag="payroll", is_idea=True)  # an odd choice, to tell them apart
    routed = ask(question_factory, ["payroll"])
    assert FeedbackItem.objects.filter(question=routed).exists()
    ignored = ask(question_factory, ["feature-request", "invoices"])
    assert not FeedbackItem.objects.filter(question=ignored).exists()


def test_a_product_manager_claims_an_item_and_my_work_lists_it_with_review_items(
    client, question_factory, teams, user_factory
):
    pm = teams["pm"]
    question = ask(
        question_factory, ["feature-request", "invoices"], title="Recurring invoices every quarter"
    )
    item = FeedbackItem.objects.get(question=question)
    client.force_login(pm)
    assert client.post(f"/feedback/items/{item.pk}/claim/").status_code == 302
    item.refresh_from_db()
    assert item.assignee == pm and item.state == "assigned"
    page = client.get("/my-work/").content.decode()
    assert "Feedback (1)" in page and "Recurring invoices every quarter" in page
    other = user_factory(roles=(PRODUCT_MANAGER,))
    teams["invoicing"].members.add(other)
    client.force_login(other)
    response = client.post(f"/feedback/items/{item.pk}/claim/", follow=True)
    assert "Someone else took it first" in response.content.decode()
    client.force_login(pm)
    client.post(f"/feedback/items/{item.pk}/release/")
    item.refresh_from_db()
    assert item.assignee is None and item.state == "open"


def test_the_inbox_sorts_by_support_cost(client, question_factory, teams, user_factory):
    wanted = ask(question_factory, ["feature-request", "invoices"], title="Credit notes in bulk please")
    for _ in range(4):
        toggle_me_too(wanted, user=user_factory())  # most demand, no support cost
    costly = ask(question_factory, ["bug", "billing"], title="Invoice PDF is blank in Firefox")
    Question.objects.filter(pk=costly.pk).update(created_at=timezone.now() - timedelta(hours=30))
    sweep()  # unanswered for 30 hours: escalated
    client.force_login(teams["pm"])
    by_demand = client.get("/feedback/").content.decode()
    assert by_demand.index("Credit notes in bulk") < by_demand.index("Invoice PDF is blank")
    by_cost = client.get("/feedback/?sort=cost").content.decode()
    assert by_cost.index("Invoice PDF is blank") < by_cost.index("Credit notes in bulk")


def test_the_changelog_lists_what_shipped_with_the_threads_that_asked(
    client, question_factory, teams, user_factory, django_capture_on_commit_callbacks
):
    shipped = ask(question_factory, ["feature-request", "invoices"], title="Recurring invoices on the 31st")
    toggle_me_too(shipped, user=user_factory())
    planned = ask(question_factory, ["feature-request", "invoices"], title="Dark mode for invoices")
    gone = ask(question_factory, ["feature-request", "invoices"], title="A deleted idea that shipped")
    client.force_login(teams["pm"])
    for question, status in ((shipped, "shipped"), (planned, "planned"), (gone, "shipped")):
        item = FeedbackItem.objects.get(question=question)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(f"/feedback/items/{item.pk}/", {"status": status, "response": f"Now {status}."})
    Question.objects.filter(pk=gone.pk).update(is_deleted=True)
    client.logout()
    assert 'href="/changelog/"' in client.get("/").content.decode()
    page = client.get("/changelog/").content.decode()
    assert f'href="{shipped.get_absolute_url()}"' in page and "Now shipped." in page
    assert "asked for by 2 customers" in page  # the asker and a "me too"
    assert timezone.now().strftime("%B %Y") in page
    assert "Dark mode for invoices" not in page and "A deleted idea" not in page
    assert client.get("/changelog/?page=abc").status_code == 200
