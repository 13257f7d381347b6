"""Askwell settings: one module, everything read from the environment.

With no environment at all this is the embedded default: SQLite in WAL mode, Celery on
kombu's on-disk ``filesystem://`` transport, mail written to files under ``var/mail``.
Setting ``DATABASE_URL`` and ``CELERY_BROKER_URL`` (and ``CACHE_URL``) scales it out to
PostgreSQL and Redis with the same code.
"""

import os
import secrets
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.observability import init_sentry

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

VAR_DIR = Path(env.str("ASKWELL_VAR_DIR", default=str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env.bool("DJANGO_DEBUG", default=False)
# The key the project once shipped as its default: refused whenever DEBUG is off.
BUILT_IN_SECRET_KEY = "askwell-embedded-default-not-for-production-0b1c2d3e4f5a6b7c8d9e"  # noqa: S105 (refused, below)


def _machine_secret_key(path: Path) -> str:
    """The embedded default's own key: made once, at random, kept in the var directory
    (readable by this user only). A scaled deployment sets DJANGO_SECRET_KEY, the same
    on every machine."""
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as fresh:
            fresh.write(secrets.token_urlsafe(50))
    except FileExistsError:
        pass  # made before (or by another process just now)
    for _ in range(50):
        key = path.read_text().strip()
        if key:
            return key
        time.sleep(0.01)  # another process is writing it
    raise ImproperlyConfigured(f"{path} is empty: delete it, or set DJANGO_SECRET_KEY")


SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="") or _machine_secret_key(VAR_DIR / "secret-key")
if SECRET_KEY == BUILT_IN_SECRET_KEY and not DEBUG:
    raise ImproperlyConfigured(
        "Refusing to start: DJANGO_SECRET_KEY is the key Askwell once shipped as its default. "
        "Set a random one (python -c 'import secrets; print(secrets.token_urlsafe(50))')."
    )
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
SITE_URL = env.str("ASKWELL_SITE_URL", default="http://127.0.0.1:8000")
_site = urlsplit(SITE_URL)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[f"{_site.scheme}://{_site.netloc}"])

# --- TLS: one switch (on by default when the site's URL is https://) --------------------
# Reverse proxies in front of the site (each appends to X-Forwarded-For and sets
# X-Forwarded-Proto). 0: none, and those headers are ignored (a client could write them).
ASKWELL_TRUSTED_PROXY_COUNT = env.int("ASKWELL_TRUSTED_PROXY_COUNT", default=0)
if ASKWELL_TRUSTED_PROXY_COUNT > 0:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")  # links come out https://
HTTPS = env.bool("ASKWELL_HTTPS", default=_site.scheme == "https")
if HTTPS:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=True)
    # /health/ answers the orchestrator's plain-HTTP probe inside the network.
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SITE_NAME = env.str("ASKWELL_SITE_NAME", default="Askwell")
# Who hears about server errors and stuck derived work (comma-separated addresses).
ADMINS = [("Askwell admin", address) for address in env.list("ASKWELL_ADMIN_EMAILS", default=[])]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "allauth",
    "axes",
    "allauth.account",
    "taggit",
    "django_htmx",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "community",
    "support",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before sessions: a stored anonymous page skips everything below (community/pagecache.py).
    "community.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.RefuseNulMiddleware",  # after auth and messages: its 400 page has the header
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.UserTimezoneMiddleware",
    # Below the member and their time zone: a member's own stored copy of a page.
    "community.pagecache.MemberPageCacheMiddleware",
    # Last, as its documentation asks: it answers a locked-out login with a 429 page.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy on every page: only the site's own scripts (htmx is vendored) and
# styles; the charts' one <style> element carries the request's nonce. No inline script,
# no style attribute, no framing, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "community.context_processors.header",
                "support.context_processors.nav",
                "support.context_processors.expectations",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'askwell.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat all write: WAL lets readers run beside the writer, the busy
    # timeout waits for the lock instead of failing, and IMMEDIATE transactions take the
    # write lock up front so two writers never deadlock upgrading a read lock.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
    }
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# A cache every process shares (rate-limit counts): the database in the embedded default
# (`manage.py createcachetable`, run by `make migrate`), Redis when scaled (CACHE_URL).
# The anonymous page cache (community/pagecache.py) has its own: files under var/ in the
# embedded default (every process on the machine shares them, and a page served from it
# touches no database), the same Redis as the default cache when CACHE_URL is set, or
# PAGE_CACHE_URL. COMMUNITY_PAGE_CACHE_SECONDS=0 turns it off.
CACHES = {
    "default": env.cache("CACHE_URL", default="dbcache://askwell_cache"),
    "pages": env.cache(
        "PAGE_CACHE_URL", default=env.str("CACHE_URL", default=f"filecache://{VAR_DIR / 'cache' / 'pages'}")
    ),
}
CACHES["pages"].setdefault("KEY_PREFIX", "pages")
if CACHES["pages"]["BACKEND"].endswith("FileBasedCache"):
    CACHES["pages"].setdefault("OPTIONS", {}).setdefault("MAX_ENTRIES", 5000)
for _alias in CACHES:
    if CACHES[_alias]["BACKEND"].endswith("RedisCache"):
        # A Redis outage must not become a 500 (config/cache.py); nor may a Redis that hangs.
        CACHES[_alias]["BACKEND"] = "config.cache.ResilientRedisCache"
        CACHES[_alias].setdefault("OPTIONS", {}).update(socket_connect_timeout=1, socket_timeout=1)
COMMUNITY_PAGE_CACHE = "pages"
COMMUNITY_PAGE_CACHE_SECONDS = env.int("COMMUNITY_PAGE_CACHE_SECONDS", default=120)
# Answer blocks shared by readers who see them alike (community/fragments.py), in the same
# cache; keyed by what they show, so this is only how long an unused one is kept.
COMMUNITY_FRAGMENT_CACHE_SECONDS = env.int("COMMUNITY_FRAGMENT_CACHE_SECONDS", default=3600)

# --- Auth and accounts ----------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Login throttling (django-axes): after AXES_FAILURE_LIMIT failed logins for one account
# from one address, logins are refused for AXES_COOLOFF_TIME hours (a 429 page).
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"  # allauth's login field
AXES_USERNAME_CALLABLE = "accounts.throttling.login_username"  # allauth's username or email
AXES_CLIENT_IP_CALLABLE = "accounts.throttling.client_ip"
ALLAUTH_TRUSTED_PROXY_COUNT = ASKWELL_TRUSTED_PROXY_COUNT  # allauth's per-address login limits
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AUTHENTICATION_BACKENDS = [
    # django-axes first: it counts failed logins and refuses locked-out ones.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"  # mail speaks as SITE_NAME, never "example.com"
ACCOUNT_USERNAME_BLACKLIST = ["admin", "support", "staff", "askwell", "moderator"]

ACCOUNTS_AVATAR_MAX_BYTES = env.int("ACCOUNTS_AVATAR_MAX_BYTES", default=2 * 1024 * 1024)
ACCOUNTS_AVATAR_MAX_PIXELS = env.int("ACCOUNTS_AVATAR_MAX_PIXELS", default=4096)

# --- Email ----------------------------------------------------------------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(VAR_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Askwell <community@askwell.localhost>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))

# --- I18n, time -----------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "staticfiles")))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = env.str("MEDIA_URL", default="/media/")
# Uploaded avatars: the embedded default serves them itself; a deployment turns this off
# and lets the web server in front serve MEDIA_ROOT (compose.yaml's proxy does) or points
# MEDIA_URL at object storage.
ASKWELL_SERVE_MEDIA = env.bool("ASKWELL_SERVE_MEDIA", default=True)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": env.str(
            "STATICFILES_BACKEND",
            default="django.contrib.staticfiles.storage.StaticFilesStorage",
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_DIR = VAR_DIR / "broker"
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    (CELERY_BROKER_DIR / "queue").mkdir(parents=True, exist_ok=True)
    (CELERY_BROKER_DIR / "processed").mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # The exchange table too (kombu's default is ./control, beside the code).
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "data_folder_in": str(CELERY_BROKER_DIR / "queue"),
        "data_folder_out": str(CELERY_BROKER_DIR / "queue"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        "store_processed": False,
        "polling_interval": 0.25,
    }
else:
    # Fail fast when the broker is down: the outbox keeps the work and beat re-enqueues it.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0, "socket_connect_timeout": 2}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The schedule lives in code; each job decides from the database what is due.
CELERY_BEAT_SCHEDULE = {
    "award-badges": {
        "task": "community.award_badges",
        "schedule": timedelta(seconds=env.int("COMMUNITY_BADGE_SWEEP_SECONDS", default=600)),
    },
    "sweep-mvp-terms": {
        "task": "community.sweep_mvp_terms",
        "schedule": timedelta(seconds=env.int("COMMUNITY_MVP_SWEEP_SECONDS", default=3600)),
    },
    "reverse-serial-votes": {
        "task": "community.reverse_serial_votes",
        "schedule": timedelta(seconds=env.int("COMMUNITY_SERIAL_VOTES_SWEEP_SECONDS", default=600)),
    },
    "reconcile-search-index": {
        "task": "community.reconcile_search_index",
        "schedule": timedelta(seconds=env.int("COMMUNITY_SEARCH_RECONCILE_SECONDS", default=900)),
        "options": {"queue": "search"},
    },
    "refresh-related-questions": {
        "task": "community.refresh_related",
        "schedule": timedelta(seconds=env.int("COMMUNITY_RELATED_SWEEP_SECONDS", default=300)),
        "options": {"queue": "search"},
    },
    "snapshot-vectors": {
        "task": "community.snapshot_vectors",
        "schedule": timedelta(seconds=env.int("COMMUNITY_VECTOR_SNAPSHOT_SECONDS", default=300)),
        "options": {"queue": "search"},
    },
    "settle-deflection-clicks": {
        "task": "community.settle_deflection_clicks",
        "schedule": timedelta(seconds=env.int("COMMUNITY_DEFLECTION_SWEEP_SECONDS", default=600)),
    },
    "publish-coached-questions": {
        "task": "community.publish_coached",
        "schedule": timedelta(seconds=env.int("COMMUNITY_COACHING_SWEEP_SECONDS", default=300)),
    },
    "remind-article-reviews": {
        "task": "community.remind_article_reviews",
        "schedule": timedelta(seconds=env.int("COMMUNITY_ARTICLE_REVIEW_SWEEP_SECONDS", default=3600)),
    },
    "support-sweep": {
        "task": "support.sweep_escalations",
        "schedule": timedelta(seconds=env.int("SUPPORT_SWEEP_SECONDS", default=300)),
    },
    "incident-sweep": {
        "task": "support.sweep_incidents",
        "schedule": timedelta(seconds=env.int("SUPPORT_INCIDENT_SWEEP_SECONDS", default=300)),
    },
    "feedback-digests": {
        "task": "support.build_digests",
        "schedule": timedelta(seconds=env.int("SUPPORT_DIGEST_SWEEP_SECONDS", default=900)),
    },
    "event-webhook-retries": {
        "task": "support.retry_event_deliveries",
        "schedule": timedelta(seconds=env.int("SUPPORT_WEBHOOK_RETRY_SECONDS", default=60)),
    },
    "feedback-webhook-retries": {
        "task": "support.retry_webhooks",
        "schedule": timedelta(seconds=env.int("SUPPORT_WEBHOOK_RETRY_SECONDS", default=60)),
    },
    "requeue-pending-outbox": {
        "task": "community.requeue_pending_outbox",
        "schedule": timedelta(seconds=env.int("COMMUNITY_OUTBOX_SWEEP_SECONDS", default=60)),
    },
}

# --- Support --------------------------------------------------------------------------
# The site-default SLA (categories may have their own in the admin), in hours.
SUPPORT_SLA_FIRST_REPLY_HOURS = env.int("SUPPORT_SLA_FIRST_REPLY_HOURS", default=24)
SUPPORT_SLA_SOLUTION_HOURS = env.int("SUPPORT_SLA_SOLUTION_HOURS", default=72)
SUPPORT_SLA_VIP_FIRST_REPLY_HOURS = env.int("SUPPORT_SLA_VIP_FIRST_REPLY_HOURS", default=4)
SUPPORT_SLA_VIP_SOLUTION_HOURS = env.int("SUPPORT_SLA_VIP_SOLUTION_HOURS", default=24)
# "I still need help" is offered on a question this many hours old.
SUPPORT_NEED_HELP_AFTER_HOURS = env.int("SUPPORT_NEED_HELP_AFTER_HOURS", default=24)
# Tags that make a thread product feedback (routed to the team owning its product tags).
SUPPORT_FEEDBACK_TAGS = env.list("SUPPORT_FEEDBACK_TAGS", default=["feature-request", "bug", "idea"])
# Of those, the ones where "I have this too" reads "me too".
SUPPORT_IDEA_TAGS = env.list("SUPPORT_IDEA_TAGS", default=["feature-request", "idea"])
# Digest webhooks: a failed delivery is retried after 1, 2, 4 … times this, this many tries.
SUPPORT_WEBHOOK_BACKOFF_SECONDS = env.int("SUPPORT_WEBHOOK_BACKOFF_SECONDS", default=60)
SUPPORT_WEBHOOK_MAX_ATTEMPTS = env.int("SUPPORT_WEBHOOK_MAX_ATTEMPTS", default=6)
# An outbound webhook endpoint failing this many deliveries in a row is switched off.
SUPPORT_WEBHOOK_DISABLE_AFTER = env.int("SUPPORT_WEBHOOK_DISABLE_AFTER", default=10)
# The sweep looks this far back: questions asked before support was set up are not all
# escalated at once on the first run.
SUPPORT_SWEEP_LOOKBACK_DAYS = env.int("SUPPORT_SWEEP_LOOKBACK_DAYS", default=30)

# --- Community ------------------------------------------------------------------------
COMMUNITY_QUESTIONS_PER_PAGE = 20
# Question lists count at most this many rows ("More than 1,000 questions"; pages past it
# are still reachable one "Next" at a time), so a list's SQL does not grow with the list.
COMMUNITY_LIST_COUNT_CAP = env.int("COMMUNITY_LIST_COUNT_CAP", default=1000)
# A question page's related questions are worked out by the search worker when the thread
# (or one it lists) is indexed, and again by beat once older than this, in batches.
COMMUNITY_RELATED_MAX_AGE_HOURS = env.int("COMMUNITY_RELATED_MAX_AGE_HOURS", default=24)
COMMUNITY_RELATED_BATCH = env.int("COMMUNITY_RELATED_BATCH", default=500)
COMMUNITY_TITLE_MIN_LENGTH = 10
COMMUNITY_TITLE_MAX_LENGTH = 150
COMMUNITY_BODY_MIN_LENGTH = 20
COMMUNITY_BODY_MAX_LENGTH = 30000
COMMUNITY_ANSWER_MIN_LENGTH = 10
COMMUNITY_COMMENT_MIN_LENGTH = 2
COMMUNITY_COMMENT_MAX_LENGTH = 600
COMMUNITY_MAX_TAGS = 5
COMMUNITY_TAG_MAX_LENGTH = 35
# Reputation (issue 4): points per ledger reason, a daily cap on points from votes (UTC
# day), rank thresholds and the reputation each privilege needs.
COMMUNITY_REPUTATION_POINTS = {
    "answer_upvoted": 10,
    "question_upvoted": 5,
    "answer_accepted": 15,
    "accepted_an_answer": 2,
    "downvote_received": -2,
    "downvote_cast": -1,
    "post_spam": -100,
}
COMMUNITY_REPUTATION_DAILY_VOTE_CAP = env.int("COMMUNITY_REPUTATION_DAILY_VOTE_CAP", default=200)
COMMUNITY_RANKS = [(1, "New member"), (15, "Member"), (100, "Contributor"), (1000, "Advocate")]
COMMUNITY_ADVOCATE_RANK_THRESHOLD = 1000
COMMUNITY_PRIVILEGES = {
    "vote_up": 15,
    "flag_weight": 15,
    "comment_anywhere": 50,
    "vote_down": 125,
    "create_tags": 300,
    "edit_others_posts": 1000,
    "review_and_close": 750,
}
COMMUNITY_PRIVILEGE_LABELS = {
    "vote_up": "Vote up questions and answers",
    "flag_weight": "Your spam and abuse flags count towards hiding a post at once",
    "comment_anywhere": "Comment on any post",
    "vote_down": "Vote down questions and answers",
    "create_tags": "Create new tags",
    "edit_others_posts": "Edit other members' posts",
    "review_and_close": "Work the review queue; close and reopen questions",
}
# Writing limits by rank (ranks not listed write freely); django-ratelimit rates.
# The same post (same author, same text) sent again within this many seconds is taken as
# a double submit: the action returns the first copy instead of making another.
COMMUNITY_RESUBMIT_SECONDS = env.int("COMMUNITY_RESUBMIT_SECONDS", default=120)
COMMUNITY_RATE_LIMITS = {
    "New member": {"ask": "3/h", "answer": "10/h", "comment": "20/h", "flag": "10/h"},
    "Member": {"ask": "10/h", "answer": "30/h", "comment": "60/h", "flag": "30/h"},
}
# This many spam or abuse flags from members with flag weight hide a post pending review.
COMMUNITY_FLAGS_TO_HIDE = env.int("COMMUNITY_FLAGS_TO_HIDE", default=3)
# This many votes of members with the close privilege close a question (or reopen it, or
# leave it as it is in review); a moderator (Advocate, MVP, staff) does it at once.
COMMUNITY_CLOSE_VOTES = env.int("COMMUNITY_CLOSE_VOTES", default=3)
# An answer on a question older than this many days, from a member without the review
# privilege, goes to the late-answers queue.
COMMUNITY_LATE_ANSWER_DAYS = env.int("COMMUNITY_LATE_ANSWER_DAYS", default=30)
# After a post is removed as spam, its author's next this-many posts go to review.
COMMUNITY_SPAM_REVIEW_NEXT_POSTS = env.int("COMMUNITY_SPAM_REVIEW_NEXT_POSTS", default=3)
# An advocate may accept an answer for an asker silent this many days on their question.
COMMUNITY_ADVOCATE_ACCEPT_AFTER_DAYS = env.int("COMMUNITY_ADVOCATE_ACCEPT_AFTER_DAYS", default=7)
# An outbox row still pending this long after it was written is enqueued again by beat.
COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS = env.int("COMMUNITY_OUTBOX_RETRY_AFTER_SECONDS", default=60)
COMMUNITY_OUTBOX_MAX_ATTEMPTS = 20
# Rows pending this long raise an error in the log and a mail to ADMINS (once an hour).
COMMUNITY_OUTBOX_ALERT_MINUTES = env.int("COMMUNITY_OUTBOX_ALERT_MINUTES", default=15)
# /health/ reports beat as down when its every-minute job has not run for this long.
COMMUNITY_HEARTBEAT_STALE_SECONDS = env.int("COMMUNITY_HEARTBEAT_STALE_SECONDS", default=300)

# --- Search ---------------------------------------------------------------------------
# "whoosh" (embedded, on local disk). The index is written only by the worker that
# consumes the "search" queue with concurrency 1.
COMMUNITY_SEARCH_ENGINE = env.str("COMMUNITY_SEARCH_ENGINE", default="whoosh")
COMMUNITY_SEARCH_INDEX_DIR = Path(
    env.str("COMMUNITY_SEARCH_INDEX_DIR", default=str(VAR_DIR / "search-index"))
)
# The reconcile job merges the index's segments when there are more than this (Whoosh;
# a rebuild always ends with one): each one adds to every query's time.
COMMUNITY_SEARCH_MAX_PARTS = env.int("COMMUNITY_SEARCH_MAX_PARTS", default=2)
# Meaning beside words (community/search/hybrid.py): a sentence-embedding model on the
# CPU, from installed packages, nothing downloaded. Off, or without the model, search is
# lexical only (the admin says which).
COMMUNITY_EMBEDDINGS = env.bool("COMMUNITY_EMBEDDINGS", default=True)
COMMUNITY_EMBEDDING_THREADS = env.int("COMMUNITY_EMBEDDING_THREADS", default=1)
# Each process's in-memory vectors catch up with the table at most this often.
COMMUNITY_VECTOR_SYNC_SECONDS = env.float("COMMUNITY_VECTOR_SYNC_SECONDS", default=2.0)
# The vectors' snapshot file that every process of a host maps (one copy in memory),
# written by the search worker (community/search/vectors.py).
COMMUNITY_VECTOR_SNAPSHOT_DIR = env.str("COMMUNITY_VECTOR_SNAPSHOT_DIR", default=str(VAR_DIR / "vectors"))

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"client_errors": {"()": "config.logfilters.ClientErrorsWithoutTraceback"}},
    "formatters": {"json": {"()": "config.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["client_errors"],
            # LOG_FORMAT=json: one JSON object a line, for log collectors.
            **({"formatter": "json"} if env.str("LOG_FORMAT", default="text") == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="WARNING")},
    "loggers": {
        "askwell": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

if not DEBUG:
    SESSION_COOKIE_HTTPONLY = True
    X_FRAME_OPTIONS = "DENY"
    SECURE_CONTENT_TYPE_NOSNIFF = True

# Badges: accepted answers in one tag that earn that tag's "Tag expert" badge.
COMMUNITY_TAG_BADGE_ACCEPTED_ANSWERS = env.int("COMMUNITY_TAG_BADGE_ACCEPTED_ANSWERS", default=5)

# MVP program: the default term, and how long before its end the member is told.
COMMUNITY_MVP_TERM_DAYS = env.int("COMMUNITY_MVP_TERM_DAYS", default=365)
COMMUNITY_MVP_REMINDER_DAYS = env.int("COMMUNITY_MVP_REMINDER_DAYS", default=30)

# Serial voting: this many votes by one member on one author's posts within the window
# are treated as gaming; a beat job removes them and the reputation they moved.
COMMUNITY_SERIAL_VOTES_THRESHOLD = env.int("COMMUNITY_SERIAL_VOTES_THRESHOLD", default=5)
COMMUNITY_SERIAL_VOTES_WINDOW_MINUTES = env.int("COMMUNITY_SERIAL_VOTES_WINDOW_MINUTES", default=10)

# Deflection: a hint click with no question asked within this many minutes counts as
# "left the ask page without posting after a click".
COMMUNITY_DEFLECTION_WAIT_MINUTES = env.int("COMMUNITY_DEFLECTION_WAIT_MINUTES", default=30)
# The ask page's answer card ("This may already be answered") shows the best hint when it
# is a solved thread or an article at least this similar in meaning: calibrated on
# SemEval-2016 3B dev, where 96 % of the candidates this similar are relevant (bench/semeval.py).
COMMUNITY_ANSWER_CARD_SIMILARITY = env.float("COMMUNITY_ANSWER_CARD_SIMILARITY", default=0.65)
# What one ticket costs support, for the dashboard's "estimated cost saved" by deflection.
SUPPORT_COST_PER_TICKET = env.float("SUPPORT_COST_PER_TICKET", default=15.0)
# The social-listening tool's webhook (POST /support/mentions/webhook/), signed in the
# Standard Webhooks format with this secret ("whsec_" and base64); empty: switched off.
SUPPORT_MENTIONS_WEBHOOK_SECRET = env.str("SUPPORT_MENTIONS_WEBHOOK_SECRET", default="")
SUPPORT_MENTIONS_MAX_UPLOAD_MB = env.int("SUPPORT_MENTIONS_MAX_UPLOAD_MB", default=10)
SUPPORT_CURRENCY = env.str("SUPPORT_CURRENCY", default="USD")  # shown before amounts
# A knowledge article's default review date is this many days after it is written or reviewed.
COMMUNITY_ARTICLE_REVIEW_DAYS = env.int("COMMUNITY_ARTICLE_REVIEW_DAYS", default=180)

# Error reporting: set SENTRY_DSN to send web and task errors to Sentry (no personal data).
SENTRY_ENABLED = init_sentry(
    env.str("SENTRY_DSN", default=""),
    environment=env.str("SENTRY_ENVIRONMENT", default="production"),
    traces_sample_rate=env.float("SENTRY_TRACES_SAMPLE_RATE", default=0.0),
)


# --- REST API (/api/v1/, community/api/) ----------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "community.api.auth.BearerToken",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["community.api.auth.TokenScopes"],
    "DEFAULT_PAGINATION_CLASS": "community.api.pagination.Newest",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "community.api.errors.handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env.str("API_ANON_RATE", default="120/min"),
        "user": env.str("API_USER_RATE", default="600/min"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Askwell API",
    "DESCRIPTION": "The community's threads, posts, votes, search and suggestions; support's "
    "escalations; product feedback. Token auth: `Authorization: Bearer aw_…` (make one at "
    "/profile/tokens/). Errors are RFC 9457 problem details.",
    "VERSION": "1.0.0",
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "community.api.schema.problem_responses",
    ],
}
