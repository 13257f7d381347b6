"""The read path against bare Django (``make bench``): ratios measured in one run.

    python -m bench.pages                      # SQLite and (when it runs) PostgreSQL, 1,250 and 100,000
    python -m bench.pages --sizes 1250 --databases sqlite

For each database and size, a child process builds a site, then times, through Django's
own WSGI handler in-process (the whole middleware stack, no network, one thread), the
pages a visitor reads — the question list, a question with 30 answers, the ``billing``
tag page and a search — anonymously and signed in, each both served from the page cache
(after the first view) and rendered with the page cache off; and, as the reference, a
bare-Django page that makes one query on a unique index. It prints each page's CPU
milliseconds per request, its throughput as a share of the bare page's, its query count,
the time split of the rendered signed-in question page (templates / SQL / search /
Python), the p50 and p95 of posting an answer through the site, and at 100,000 questions
on PostgreSQL the EXPLAIN ANALYZE of every query the tag page, the question list and the
question page make. The summary goes to ``var/bench/pages.md`` (the README quotes it).

Sites: 1,250 questions are asked, answered, voted and commented through the actions (the
site's own code). 100,000 are the same 1,250 plus bulk-inserted rows (one answer on 60 %,
tags spread as at 1,250) — the actions would take hours — then indexed by the real
rebuild. Timing numbers, never a pass/fail test.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PG = "postgres://postgres@127.0.0.1:5432/askwell_bench_pages"
TAGS = ["billing", "export", "login", "sync", "api", "mobile", "invoices", "reports", "email", "sso"]
PAGES = {
    "question list": "/questions/",
    "question, 30 answers": None,  # the big thread's URL, known once it is built
    "tag page (billing)": "/tags/billing/",
    "search": "/search/?q=export+invoice",
}


# --- the child: one database, one size --------------------------------------------------


def _setup(database_url: str, workdir: Path) -> None:
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": database_url,
            "ASKWELL_VAR_DIR": str(workdir / "var"),
            "CELERY_TASK_ALWAYS_EAGER": "false",
            # Nothing consumes the outbox here: the benchmark indexes once, after seeding.
            "CELERY_BROKER_URL": "memory://",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "DJANGO_DEBUG": "false",
        }
    )
    import django

    django.setup()
    from django.conf import settings

    settings.ROOT_URLCONF = "bench.bare_urls"


def _build(size: int) -> dict[str, Any]:
    import random

    from django.core.management import call_command
    from django.db import connection
    from taggit.models import Tag

    from accounts.models import User
    from community.actions.answers import accept_answer, post_answer
    from community.actions.comments import add_comment
    from community.actions.questions import ask_question
    from community.actions.reputation import adjust_reputation
    from community.actions.search import rebuild, refresh_related
    from community.actions.votes import cast_vote
    from community.models import Category

    call_command("migrate", verbosity=0)
    call_command("createcachetable")
    rng = random.Random(1250)
    category = Category.objects.create(name="Billing", slug="billing")
    for name in TAGS:
        Tag.objects.create(name=name, slug=name)
    members = [User.objects.create_user(username=f"member{n}", password=None) for n in range(60)]
    for member in members:
        adjust_reputation(member, points=rng.randint(20, 3000), source_key=f"bench:{member.pk}")
        member.refresh_from_db(fields=["reputation"])
    started = time.perf_counter()
    words = ["invoice", "export", "sync", "login", "payment", "report", "email", "mobile", "webhook", "csv"]
    questions = []
    for n in range(1250):
        title = f"{rng.choice(words).title()} {rng.choice(words)} fails after update, case {n}"
        tags = rng.sample(TAGS, 2) if n % 3 else ["billing", rng.choice(TAGS[1:])]
        question = ask_question(
            author=members[n % 60],
            title=title,
            body=f"Steps for case {n}: " + "details " * 40,
            category=category,
            tags=tags,
        )
        questions.append(question)
        for k in range(rng.choice([0, 1, 1, 2, 3])):
            answer = post_answer(
                question, author=members[(n + k + 1) % 60], body=f"Try this for {n}: " + "step " * 30
            )
            if k == 0 and rng.random() < 0.4:
                accept_answer(answer, by=members[n % 60])
            if rng.random() < 0.5:
                cast_vote(answer, by=members[(n + 7) % 60], value=1)
    big = questions[0]
    for n in range(30):
        answer = post_answer(big, author=members[(n + 1) % 60], body=f"Answer {n}: " + "do this " * 40)
        cast_vote(answer, by=members[(n + 2) % 60], value=1)
        add_comment(answer, author=members[(n + 3) % 60], body=f"Comment on answer {n}, it worked.")
    seeded = time.perf_counter() - started
    if size > 1250:
        _bulk(size - 1250, members, category, rng)
    started = time.perf_counter()
    rebuild(batch=2000)
    refresh_related([q.pk for q in questions[:50]])  # the search worker's job; the pages only read it
    indexed = time.perf_counter() - started
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {
        "big": big.get_absolute_url(),
        "big_pk": big.pk,
        "member": members[5].pk,
        "seconds_seeding": round(seeded),
        "seconds_indexing": round(indexed),
    }


def _bulk(count: int, members: list[Any], category: Any, rng: Any) -> None:
    from datetime import timedelta

    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone
    from taggit.models import Tag, TaggedItem

    from community.models import Answer, Question

    now = timezone.now()
    tags = {tag.name: tag.pk for tag in Tag.objects.all()}
    kind = ContentType.objects.get_for_model(Question)
    for start in range(0, count, 10_000):
        batch = []
        for n in range(start, min(count, start + 10_000)):
            created = now - timedelta(minutes=rng.randint(60, 3 * 365 * 24 * 60))
            batch.append(
                Question(
                    title=f"Archived question {n} about {rng.choice(TAGS)}",
                    body="Archived body.",
                    body_html="<p>Archived body.</p>",
                    author=members[n % 60],
                    category=category,
                    created_at=created,
                    last_activity_at=created,
                    answer_count=0,
                )
            )
        Question.objects.bulk_create(batch, batch_size=5000)
        items, answers = [], []
        for question in batch:
            names = rng.sample(TAGS, 2) if rng.random() < 0.67 else ["billing", rng.choice(TAGS[1:])]
            items += [
                TaggedItem(tag_id=tags[name], content_type=kind, object_id=question.pk) for name in names
            ]
            if rng.random() < 0.6:
                answers.append(
                    Answer(
                        question_id=question.pk,
                        author=members[(question.pk + 1) % 60],
                        body="Archived answer.",
                        body_html="<p>Archived answer.</p>",
                        created_at=question.created_at + timedelta(hours=2),
                    )
                )
        TaggedItem.objects.bulk_create(items, batch_size=5000)
        Answer.objects.bulk_create(answers, batch_size=5000)
        Question.objects.filter(pk__in=[a.question_id for a in answers]).update(answer_count=1)


class _Split:
    """Where one request's time goes: SQL (every query), search (the engine), templates
    (the views' render, less the SQL run inside it), and the rest (Python)."""

    def __init__(self) -> None:
        self.sql = self.search = self.templates = self.sql_in_templates = 0.0
        self._in_template = 0

    def install(self) -> None:
        from django.db import connection
        from django.template.backends.django import Template

        from community.search import whoosh_engine

        split = self

        def timed_sql(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
            begin = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent = time.perf_counter() - begin
                split.sql += spent
                if split._in_template:
                    split.sql_in_templates += spent

        connection.execute_wrappers.append(timed_sql)
        render = Template.render

        def timed_render(self: Any, *args: Any, **kwargs: Any) -> Any:
            split._in_template += 1
            begin = time.perf_counter()
            try:
                return render(self, *args, **kwargs)
            finally:
                split._in_template -= 1
                if not split._in_template:
                    split.templates += time.perf_counter() - begin

        Template.render = timed_render  # type: ignore[method-assign]
        search = whoosh_engine.WhooshEngine.search

        def timed_search(self: Any, *args: Any, **kwargs: Any) -> Any:
            begin = time.perf_counter()
            try:
                return search(self, *args, **kwargs)
            finally:
                split.search += time.perf_counter() - begin

        whoosh_engine.WhooshEngine.search = timed_search  # type: ignore[method-assign]


def _measure(database_url: str, size: int, runs: int) -> dict[str, Any]:
    workdir = Path(tempfile.mkdtemp(prefix="askwell-bench-pages-"))
    _setup(database_url, workdir)
    from django.conf import settings
    from django.contrib.auth import SESSION_KEY
    from django.core.cache import caches
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    built = _build(size)
    handler = WSGIHandler()
    # A signed-in member's session, as the login would have made it.
    from importlib import import_module

    from accounts.models import User

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    member = User.objects.get(pk=built["member"])
    store[SESSION_KEY] = str(member.pk)
    store["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    store["_auth_user_hash"] = member.get_session_auth_hash()
    store.save()
    cookie = f"{settings.SESSION_COOKIE_NAME}={store.session_key}"

    def request(path: str, cookies: str = "") -> int:
        query = path.partition("?")[2]
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path.partition("?")[0],
            "QUERY_STRING": query,
            "SERVER_NAME": "testserver",
            "SERVER_PORT": "80",
            "wsgi.url_scheme": "http",
            "HTTP_HOST": "testserver",
            "wsgi.input": __import__("io").BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "HTTP_COOKIE": cookies,
        }
        status: list[str] = []
        body = handler(environ, lambda s, h, *a: status.append(s))
        b"".join(body)
        if hasattr(body, "close"):
            body.close()
        return int(status[0].split()[0])

    def timed(path: str, cookies: str = "") -> float:
        for _ in range(5):
            if (status := request(path, cookies)) != 200:
                raise RuntimeError(f"{path}: HTTP {status}")
        begin = time.process_time()
        for _ in range(runs):
            request(path, cookies)
        return (time.process_time() - begin) * 1000 / runs

    def queries(path: str, cookies: str = "") -> int:
        with CaptureQueriesContext(connection) as captured:
            request(path, cookies)
        return len(captured)

    pages = {**PAGES, "question, 30 answers": built["big"]}
    bare = f"/bare/{built['big_pk']}/"
    results: dict[str, Any] = {"bare": {"ms": timed(bare), "queries": queries(bare)}, "pages": {}}
    for label, path in pages.items():
        row: dict[str, Any] = {}
        caches["pages"].clear()
        request(path)  # stored by the first view
        row["anonymous, stored"] = {"ms": timed(path), "queries": queries(path)}
        row["signed in, stored"] = {"ms": timed(path, cookie), "queries": queries(path, cookie)}
        settings.COMMUNITY_PAGE_CACHE_SECONDS = 0
        row["anonymous, rendered"] = {"ms": timed(path), "queries": queries(path)}
        row["signed in, rendered"] = {"ms": timed(path, cookie), "queries": queries(path, cookie)}
        settings.COMMUNITY_PAGE_CACHE_SECONDS = 120
        results["pages"][label] = row
    results["posting"] = _post_answers(member, runs=max(30, min(runs, 100)))
    split = _Split()
    split.install()
    settings.COMMUNITY_PAGE_CACHE_SECONDS = 0
    total_begin = time.perf_counter()
    for _ in range(runs):
        request(built["big"], cookie)
    total = (time.perf_counter() - total_begin) * 1000 / runs
    settings.COMMUNITY_PAGE_CACHE_SECONDS = 120
    sql, search = split.sql * 1000 / runs, split.search * 1000 / runs
    templates = (split.templates - split.sql_in_templates) * 1000 / runs
    results["split"] = {
        "total": total,
        "templates": templates,
        "sql": sql,
        "search": search,
        "python": total - templates - sql - search,
    }
    results["plans"] = _plans(request, pages) if connection.vendor == "postgresql" and size >= 100_000 else {}
    results.update(vendor=connection.vendor, size=size, built=built)
    return results


def _post_answers(member: Any, runs: int) -> dict[str, float]:
    """Wall milliseconds of posting an answer through the site (the form's POST, the whole
    middleware stack, the write, its outbox row and the page cache's invalidation), over
    ``runs`` answers on different threads. Rate limits are off: this measures the cost of a
    post, not the policy of how many a rank may make."""
    import statistics

    from django.conf import settings
    from django.test import Client

    from community.models import Question

    settings.COMMUNITY_RATE_LIMITS = {}
    client = Client()
    client.force_login(member)
    threads = list(Question.objects.order_by("pk").values_list("pk", flat=True)[1 : runs + 1])
    spent = []
    for n, pk in enumerate(threads):
        body = f"Bench answer {n}: open Settings, then Billing, and export the invoice again as CSV."
        begin = time.perf_counter()
        response = client.post(f"/questions/{pk}/answer/", {"body": body})
        spent.append((time.perf_counter() - begin) * 1000)
        if response.status_code != 302:
            raise RuntimeError(f"posting an answer: HTTP {response.status_code}")
    spent.sort()
    return {
        "count": len(spent),
        "p50": statistics.median(spent),
        "p95": spent[max(0, int(len(spent) * 0.95) - 1)],
        "max": spent[-1],
    }


def _plans(request: Any, pages: dict[str, str]) -> dict[str, list[str]]:
    """EXPLAIN of every query two list pages make, as PostgreSQL ran them."""
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.COMMUNITY_PAGE_CACHE_SECONDS = 0
    plans: dict[str, list[str]] = {}
    for label in ("tag page (billing)", "question list", "question, 30 answers"):
        with CaptureQueriesContext(connection) as captured:
            request(pages[label])
        plans[label] = []
        with connection.cursor() as cursor:
            for query in captured:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                cursor.execute("EXPLAIN ANALYZE " + sql)
                plans[label].append(sql[:160] + "\n" + "\n".join(row[0] for row in cursor.fetchall()))
    settings.COMMUNITY_PAGE_CACHE_SECONDS = 120
    return plans


# --- the parent: every combination, then the summary ------------------------------------


def _postgres_running() -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", 5432)) == 0


def _fresh_postgres() -> None:
    for statement in ("DROP DATABASE IF EXISTS askwell_bench_pages", "CREATE DATABASE askwell_bench_pages"):
        command = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qc", statement]
        subprocess.run(command, check=True)  # noqa: S603 (fixed arguments, the machine's psql)


def _report(runs: list[dict[str, Any]]) -> str:
    lines = [
        "# Read path against bare Django",
        "",
        "CPU ms per request through Django's WSGI handler in-process (one thread); share = the page's "
        "throughput as a share of the bare one-query page's in the same run; q = queries.",
        "",
    ]
    for run in runs:
        bare = run["bare"]["ms"]
        lines += [
            f"## {run['vendor']}, {run['size']:,} questions",
            "",
            f"Bare Django, one query on a unique index: {bare:.2f} ms ({1000 / bare:,.0f} requests/s)",
            "",
            "| page | anonymous, stored | signed in, stored | anonymous, rendered | signed in, rendered |",
            "|---|---:|---:|---:|---:|",
        ]
        for label, row in run["pages"].items():
            cells = [
                f"{c['ms']:.2f} ms · {100 * bare / c['ms']:.0f} % · {c['queries']} q" for c in row.values()
            ]
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
        s, post = run["split"], run["posting"]
        lines += [
            "",
            f"Signed-in question page rendered, {s['total']:.1f} ms wall: templates {s['templates']:.1f}, "
            f"SQL {s['sql']:.1f}, search {s['search']:.1f}, Python {s['python']:.1f} ms.",
            "",
            f"Posting an answer through the site ({post['count']} answers, wall ms, the page cache's "
            f"invalidation included): p50 {post['p50']:.1f}, p95 {post['p95']:.1f}, max {post['max']:.1f}.",
            "",
        ]
        for label, plans in run["plans"].items():
            lines += [f"### EXPLAIN ANALYZE: every query of the {label}", "", "```", *plans, "```", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1250,100000")
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--child", nargs=2, metavar=("DATABASE_URL", "SIZE"))
    args = parser.parse_args()
    if args.child:
        result = _measure(args.child[0], int(args.child[1]), args.runs)
        print("RESULT " + json.dumps(result))
        return 0
    runs = []
    for database in args.databases.split(","):
        if database == "postgresql" and not _postgres_running():
            print("SKIPPED PostgreSQL: nothing answers on 127.0.0.1:5432.")
            continue
        for size in [int(s) for s in args.sizes.split(",")]:
            if database == "postgresql":
                _fresh_postgres()
                url = PG
            else:
                url = f"sqlite:///{tempfile.mkdtemp(prefix='askwell-bench-sqlite-')}/bench.sqlite3"
            started = time.perf_counter()
            print(f"{database}, {size:,} questions: building and measuring…", flush=True)
            child = subprocess.run(  # noqa: S603 (this interpreter, this module)
                [sys.executable, "-m", "bench.pages", "--child", url, str(size), "--runs", str(args.runs)],
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            found = [line for line in child.stdout.splitlines() if line.startswith("RESULT ")]
            if child.returncode or not found:
                print(child.stdout[-3000:], child.stderr[-5000:], sep="\n")
                return 1
            run = json.loads(found[0][len("RESULT ") :])
            built = run["built"]
            took = time.perf_counter() - started
            seeding, indexing = built["seconds_seeding"], built["seconds_indexing"]
            print(f"  done in {took:.0f} s (seeding {seeding} s, indexing {indexing} s)")
            runs.append(run)
    report = _report(runs)
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    (out / "pages.md").write_text(report + "\n")
    (out / "pages.json").write_text(json.dumps(runs, indent=1))
    print(report)
    print(f"\nWritten to {out / 'pages.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
