"""Refused requests are logged as one line; server errors keep their traceback."""

from __future__ import annotations

import logging

from config.logfilters import ClientErrorsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        import sys

        record = logging.LogRecord(
            "django.request", logging.WARNING, __file__, 1, "Forbidden: /x/", (), sys.exc_info()
        )
    record.status_code = status
    return record


def test_a_403_loses_its_traceback_and_a_500_keeps_it():
    check = ClientErrorsWithoutTraceback()
    refused, broken = _record(403), _record(500)
    assert check.filter(refused) and check.filter(broken)
    assert refused.exc_info is None and refused.getMessage() == "Forbidden: /x/"
    assert broken.exc_info is not None
