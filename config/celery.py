"""The Celery app. Broker and schedule come from settings (and so from the environment)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("askwell")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def publish_to(url: str | None) -> None:
    """Send new task messages to ``url`` (``None``: back to the configured broker).

    Celery reads CELERY_BROKER_URL from the environment before its own settings, so the
    write URL, which it consults first when publishing, is the one to change at run time.
    The service tier uses this to point the app at a closed port and back.
    """
    app.conf.update(broker_write_url=url)
    reset_broker_connections()


def reset_broker_connections() -> None:
    """Drop pooled broker connections so the next publish uses the current broker_url.

    Used when the broker URL changes at run time (the service tier points the app at a
    closed port and back); Celery otherwise keeps publishing through its cached pools.
    """
    from kombu import pools

    pools.reset()  # closes and forgets kombu's global connection and producer pools
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
