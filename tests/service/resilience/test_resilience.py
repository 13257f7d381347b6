"""The resilience suite's scenarios, on PostgreSQL with a real Redis and a real worker
(`make resilience`; not part of `make test`). Each counts attempts and failures in its
tally; conftest prints the table."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import shutil
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connections
from django.test import Client
from django.utils import timezone

from accounts.models import User
from community.actions import outbox
from community.actions.answers import post_answer
from community.actions.questions import ask_question
from community.models import Answer, Comment, Notification, OutboxItem, Question
from community.search import SearchQuery, get_engine
from community.search.selectors import safe_search
from config.celery import publish_to
from tests.conftest import PASSWORD
from tests.corpora import naughty_strings, unsafe_parts, xss_payloads
from tests.service.conftest import wait_for
from tests.service.resilience.conftest import Tally
from tests.service.resilience.crawl import Site, crawl, with_query
from tests.service.serving import Browser, site_on_a_cuttable_database, with_real_password
from tests.service.together import all_at_once, free_port, redis_cache, start_redis

pytestmark = [pytest.mark.resilience, pytest.mark.django_db(transaction=True)]
ROLES = ("casey", "ava", "sam", "priya", "admin")  # the demo's people, least powerful first
MARKUP = ("<", ">", '"', "'", "javascript:")


def _problem(client: Client, method: str, url: str, data: dict[str, str] | None, text: str) -> str | None:
    where = f"{method} {url} {text[:60]!r}"
    try:
        response = client.post(url, data) if method == "POST" else client.get(url)
        landing = False
        if method == "POST" and response.status_code == 302 and response["Location"].startswith("/"):
            response, landing = client.get(response["Location"]), True
    except Exception as error:  # what a person would have seen as a 500
        return f"{where}: {error!r}"
    if response.status_code >= 500:
        return f"{where}: {response.status_code}"
    if "html" in response.get("Content-Type", ""):
        body = response.content.decode(errors="replace")
        if landing or (any(m in text for m in MARKUP) and text in body):
            unsafe = unsafe_parts(body, allowed_script_srcs=("/static/",))
            if unsafe:
                return f"{where}: {unsafe[:2]}"
    return None


# RESILIENCE_SAMPLE=N: only the first N strings of each corpus, for trying the suite out.
SAMPLE = int(os.environ.get("RESILIENCE_SAMPLE", "0")) or None


def _corpora() -> list[str]:
    """Every naughty string and every XSS payload."""
    return naughty_strings()[:SAMPLE] + xss_payloads()[:SAMPLE]


# Each form field and query parameter takes the next strings of the corpora, as many as
# it takes for every string to go through at least one (RESILIENCE_PER_SLOT overrides).
PER_SLOT = int(os.environ.get("RESILIENCE_PER_SLOT", "0"))
Attempt = tuple[str, str, dict[str, str] | None, str]  # method, url, form data, the string


def _slots(site: Site) -> int:
    return len(site.forms) + sum(len(params) for _, params in site.queries.values())


def _attempts(site: Site, rotation: Iterator[str], per_slot: int) -> list[Attempt]:
    """What one role sends: each form and each query parameter with the next strings."""
    attempts: list[Attempt] = []
    for form in site.forms.values():
        for n, text in enumerate(itertools.islice(rotation, per_slot)):
            data = form.filled(text, every_field=n % 2 == 1)
            if form.method == "GET":
                attempts.append(("GET", with_query(form.action, data), None, text))
            else:
                attempts.append(("POST", form.action, data, text))
    for path, params in site.queries.values():
        for name in params:
            strings = itertools.islice(rotation, per_slot)
            attempts.extend(("GET", with_query(path, {**params, name: t}), None, t) for t in strings)
    return attempts


def test_every_crawled_form_and_query_parameter_with_the_corpora(tally: Tally, no_rate_limits, settings):
    """Bad input: every form and query parameter found by crawling as each role."""
    settings.COMMUNITY_SEARCH_ENGINE = "postgres"  # as scaled; an eager Whoosh commit per post is slow
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_support_demo", stdout=io.StringIO())
    corpus = _corpora()
    rotation = itertools.cycle(corpus)  # each slot takes the next PER_SLOT strings
    sites: list[tuple[User | None, Site]] = []
    for who in (None, *ROLES):
        client = Client()
        user = User.objects.get(username=who) if who else None
        if user is not None:
            client.force_login(user)
        site = crawl(client, Site())
        sites.append((user, site))
        found = f"{site.pages} pages, {len(site.forms)} forms, {len(site.queries)} queries"
        print(f"{who or 'anonymous'}: {found}")
    per_slot = PER_SLOT or -(-len(corpus) // sum(_slots(site) for _, site in sites))
    plans = [(user, _attempts(site, rotation, per_slot)) for user, site in sites]
    sent = {text for _, attempts in plans for *_, text in attempts}
    print(
        f"{len(sent)} of the {len(set(corpus))} strings are sent, {per_slot} through each form and parameter"
    )
    assert PER_SLOT or sent == set(corpus)

    def send(plan: tuple[User | None, list[Attempt]]) -> None:
        user, attempts = plan
        client = Client()
        try:
            for n, (method, url, data, text) in enumerate(attempts):
                if user is not None and n % 10 == 0:
                    client.force_login(user)  # a form may have changed who is signed in
                tally.record(_problem(client, method, url, data, text))
        finally:
            connections.close_all()

    # Three roles at a time, each on its own thread and connection (the admin, who can
    # suspend people, with the staff roles that cannot be suspended).
    for batch in (plans[:3], plans[3:]):
        with ThreadPoolExecutor(len(batch)) as pool:
            list(pool.map(send, batch))
    tally.check()


def _stored(client: Client, url: str, data: dict[str, str], model: type, **exact: str) -> str | None:
    """Post; a 302 must have stored exactly what was sent, a 400 nothing (with the reason)."""
    try:
        response = client.post(url, data)
    except Exception as error:
        return f"POST {url}: {error!r}"
    if response.status_code == 400:
        return None if b'class="errorlist"' in response.content or b"<h1" in response.content else "bare 400"
    if response.status_code != 302:
        return f"POST {url} {next(iter(exact.values()))[:60]!r}: {response.status_code}"
    if not model.objects.filter(**exact).exists():  # type: ignore[attr-defined]
        return f"POST {url}: stored text differs from {next(iter(exact.values()))[:60]!r}"
    return None


def test_the_naughty_strings_through_ask_answer_and_comment_stored_exactly(
    tally: Tally, no_rate_limits, other_member, category, question_factory, settings
):
    """Bad input: every naughty string through ask, answer and comment, stored exactly."""
    settings.COMMUNITY_SEARCH_ENGINE = "postgres"  # as scaled; an eager Whoosh commit per post is slow
    client = Client()
    client.force_login(other_member)
    threads = []
    for n, text in enumerate(naughty_strings()[:SAMPLE]):
        if n % 20 == 0:  # a thread per 20 strings: a refused answer shows the whole thread again
            threads.append(question_factory(author=other_member, title=f"A thread collecting strings {n}"))
        thread = threads[-1]
        title, body = f"Question about {text}"[:150], f"{text}\n\nSome context to pass the minimum."
        data = {"title": title, "body": body, "category": str(category.pk), "tags": "bad-input"}
        tally.record(_stored(client, "/questions/ask/", data, Question, title=title, body=body))
        tally.record(_stored(client, f"/questions/{thread.pk}/answer/", {"body": text}, Answer, body=text))
        tally.record(
            _stored(
                client, f"/questions/{thread.pk}/comment/", {"body": text[:600]}, Comment, body=text[:600]
            )
        )
    for url in [t.get_absolute_url() for t in threads] + ["/questions/?tag=bad-input&sort=newest"]:
        tally.record(_problem(client, "GET", url, None, ""))
    tally.check()


def test_identical_forms_sent_ten_at_once(
    tally: Tally, no_rate_limits, member, other_member, category, question_factory
):
    """Double submits: ten identical answers, questions or comments at once make one."""
    question = question_factory(author=member, title="Bank feed stopped")
    clients = []
    for _ in range(10):
        clients.append(Client())
        clients[-1].force_login(other_member)
    for round_ in range(int(os.environ.get("RESILIENCE_ROUNDS", "15"))):
        for url, data, made in (
            (f"/questions/{question.pk}/answer/", {"body": f"Reconnect the feed, take {round_}."},
             lambda d: Answer.objects.filter(body=d["body"]).count()),
            ("/questions/ask/", {"title": f"Bank feed stopped, case {round_}",
                                 "body": "No new transactions since Monday.",
                                 "category": str(category.pk), "tags": ""},
             lambda d: Question.objects.filter(title=d["title"]).count()),
            (f"/questions/{question.pk}/comment/", {"body": f"Still broken, day {round_}."},
             lambda d: Comment.objects.filter(body=d["body"]).count()),
        ):  # fmt: skip
            codes: list[int] = []

            def send(
                c: Client, url: str = url, data: dict[str, str] = data, codes: list[int] = codes
            ) -> None:
                codes.append(c.post(url, data).status_code)

            all_at_once(send, clients)
            copies = made(data)
            tally.record(
                None if codes == [302] * 10 and copies == 1 else f"{url}: {sorted(codes)}, {copies} made"
            )
    tally.check()


def test_searches_while_the_worker_writes_the_index(
    tally: Tally, member, other_member, category, celery_worker_process, settings
):
    """Search during index writes: four web threads search while the worker commits."""
    settings.COMMUNITY_SEARCH_INDEX_DIR = celery_worker_process["env"]["ASKWELL_VAR_DIR"] + "/search-index"
    question = ask_question(author=member, title="Invoice export gives blank pages",
                            body="Every PDF export is blank.", category=category, tags=[])  # fmt: skip
    wait_for(lambda: safe_search(SearchQuery(text="invoice export")).hits, what="the worker's first index")
    done = threading.Event()

    def search_until_done() -> None:
        while not done.is_set():
            try:
                found = bool(get_engine().search(SearchQuery(text="invoice export blank")).hits)
                problem = None if found else "the thread was missing from the results"
            except Exception as error:
                problem = repr(error)
            tally.record(problem)
        connections.close_all()

    threads = [threading.Thread(target=search_until_done) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        for n in range(int(os.environ.get("RESILIENCE_INDEX_WRITES", "40"))):
            post_answer(question, author=other_member, body=f"Try the export again, attempt {n}.")
        pending = OutboxItem.objects.filter(topic="search.index", processed_at__isnull=True)
        wait_for(lambda: not pending.exists(), timeout=180, what="the worker's index writes")
    finally:
        done.set()
        for thread in threads:
            thread.join(timeout=60)
    tally.check()


def test_writes_while_the_broker_is_down_then_catch_up_once(
    tally: Tally, no_rate_limits, member, other_member, category, celery_worker_process, settings
):
    """Broker down: answers save at once, each notice arrives exactly once afterwards."""
    writes = int(os.environ.get("RESILIENCE_OUTAGE_WRITES", "30"))
    questions = [
        ask_question(author=member, category=category, title=f"Bank sync stopped, case {n}",
                     body="Since the update it never finishes.", tags=[])
        for n in range(writes)
    ]  # fmt: skip
    client = Client()
    client.force_login(other_member)
    publish_to(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens there: the broker is down
    try:
        for question in questions:
            started = time.monotonic()
            code = client.post(
                f"/questions/{question.pk}/answer/", {"body": "Reconnect the feed."}
            ).status_code
            took = time.monotonic() - started
            tally.record(None if code == 302 and took < 5 else f"answer: {code} after {took:.1f}s")
    finally:
        publish_to(None)
    settings.COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS = 0
    outbox.requeue_pending(now=timezone.now() + timedelta(seconds=1))
    delivered = Notification.objects.filter(recipient=member, event="answer_posted")
    with contextlib.suppress(AssertionError):  # counted below
        wait_for(lambda: delivered.count() >= writes, timeout=120, what="the delayed notices")
    for answer in Answer.objects.filter(question__in=questions):
        copies = delivered.filter(dedupe_key=f"answer_posted:{answer.pk}").count()
        tally.record(None if copies == 1 else f"answer {answer.pk}: {copies} notices after the outage")
    tally.check()


OUTAGE_REQUESTS = int(os.environ.get("RESILIENCE_OUTAGE_REQUESTS", "100"))


def _pages_and_posts(browser_get, browser_post, category_pk: int, n: int) -> list[tuple[str, object]]:
    """The calls a visitor and a member make, round-robin: n of them."""
    calls: list[tuple[str, object]] = []
    for i in range(n):
        kind = i % 5
        if kind == 0:
            calls.append(("ask", lambda i=i: browser_post("/questions/ask/", {
                "title": f"Bank feed stopped, outage report {i}", "body": "No transactions since Monday.",
                "category": str(category_pk), "tags": ""})))  # fmt: skip
        else:
            path = ("/", "/questions/", "/search/?q=bank+feed", "/tags/")[kind - 1]
            calls.append((path, lambda path=path: browser_get(path)))
    return calls


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
def test_pages_logins_and_posts_while_the_cache_is_down(
    tally: Tally, no_rate_limits, client, member, category, settings, tmp_path
):
    """Cache down: pages, logins and posts keep working, quickly, and the cache returns."""
    port = free_port()
    settings.CACHES = redis_cache(port)
    server = start_redis(port, tmp_path)
    server.terminate()
    server.wait(timeout=10)
    calls = _pages_and_posts(client.get, client.post, category.pk, OUTAGE_REQUESTS)
    try:
        for i, (what, call) in enumerate(calls):
            started = time.monotonic()
            if i % 10 == 0:  # every tenth call a fresh log-in instead
                client.logout()
                response = client.post("/accounts/login/", {"login": member.username, "password": PASSWORD})
                what, ok = "log in", response.status_code == 302
            else:
                response = call()  # type: ignore[operator]
                ok = response.status_code in (200, 302)
            took = time.monotonic() - started
            tally.record(None if ok and took < 5 else f"{what}: {response.status_code} after {took:.1f}s")
        server = start_redis(port, tmp_path)
        caches["default"].set("askwell:probe", "back", 30)
        tally.record(None if caches["default"].get("askwell:probe") == "back" else "cache not used once back")
    finally:
        server.terminate()
        server.wait(timeout=10)
    tally.check()


def test_a_database_outage_under_gunicorn(tally: Tally, member, category, tmp_path):
    """Database down: a clear 503 at once (never a 500 or a hang); all works once back."""
    with site_on_a_cuttable_database(tmp_path) as (outage, base):
        browser = Browser(base)
        assert browser.log_in(with_real_password(member, PASSWORD).username, PASSWORD).status == 302
        outage.cut()
        for what, call in _pages_and_posts(browser.get, browser.post, category.pk, OUTAGE_REQUESTS):
            started = time.monotonic()
            reply = call()  # type: ignore[operator]
            took = time.monotonic() - started
            clear = reply.status == 503 and "database is not answering" in reply.body
            tally.record(
                None if clear and took < 5 else f"{what} while down: {reply.status} after {took:.1f}s"
            )
        outage.restore()
        for what, call in _pages_and_posts(browser.get, browser.post, category.pk, OUTAGE_REQUESTS):
            reply = call()  # type: ignore[operator]
            tally.record(None if reply.status in (200, 302) else f"{what} once back: {reply.status}")
    tally.check()
