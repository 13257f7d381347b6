"""Errors reach Sentry when a DSN is set (a real HTTP receiver on 127.0.0.1 plays
Sentry), and LOG_FORMAT=json writes one JSON object a line."""

from __future__ import annotations

import gzip
import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from config.observability import JsonFormatter, init_sentry


class _Sentry(BaseHTTPRequestHandler):
    received: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        type(self).received.append(body)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


def test_with_a_dsn_errors_are_reported_to_sentry_without_personal_data():
    import sentry_sdk

    server = HTTPServer(("127.0.0.1", 0), _Sentry)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert init_sentry("") is False
        assert init_sentry(f"http://publickey@127.0.0.1:{server.server_port}/1", environment="test")
        try:
            raise RuntimeError("the invoice export broke")
        except RuntimeError as error:
            sentry_sdk.capture_exception(error)
        sentry_sdk.flush(timeout=5)
    finally:
        sentry_sdk.init()  # no DSN: the SDK goes quiet again
        server.shutdown()
    sent = b"".join(_Sentry.received).decode(errors="replace")
    assert "the invoice export broke" in sent and '"environment":"test"' in sent.replace(" ", "")


def test_json_log_lines_carry_level_logger_message_and_traceback():
    try:
        raise ValueError("bad payload")
    except ValueError:
        import sys

        record = logging.LogRecord(
            "askwell.outbox", logging.ERROR, __file__, 1, "Item %s failed", (7,), sys.exc_info()
        )
    line = json.loads(JsonFormatter().format(record))
    assert (
        line["level"] == "ERROR" and line["logger"] == "askwell.outbox" and line["message"] == "Item 7 failed"
    )
    assert "ValueError: bad payload" in line["exception"] and line["time"].endswith("+00:00")
