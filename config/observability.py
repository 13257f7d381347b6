"""Error reporting and log format, both chosen by environment variables.

- ``SENTRY_DSN``: report errors (web requests and Celery tasks) to Sentry; nothing is
  sent without it. No personal data is sent (the SDK's default is kept).
- ``LOG_FORMAT=json``: one JSON object a line on stderr, for log collectors; the default
  is plain text.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from typing import Any


def init_sentry(dsn: str, *, environment: str = "production", traces_sample_rate: float = 0.0) -> bool:
    """Start the Sentry SDK with the Django and Celery integrations; False without a DSN."""
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        integrations=[DjangoIntegration(), CeleryIntegration()],  # no personal data: the default
        traces_sample_rate=traces_sample_rate,
    )
    return True


class JsonFormatter(logging.Formatter):
    """A log record as one JSON line: time, level, logger, message, and the traceback."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)
