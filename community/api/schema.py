"""The OpenAPI document's shared parts: every operation can answer a problem detail
(RFC 9457) for a refusal, and says so, so clients and schemathesis know every status."""

from __future__ import annotations

from typing import Any

from community.api.errors import PROBLEM, TITLES

PROBLEM_SCHEMA = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {
            "type": "object",
            "description": "Each refused field's messages",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
        },
    },
    "required": ["type", "title", "status", "detail"],
}
# What any operation may answer besides its success.
EVERY = ("400", "401", "403", "404", "405", "406", "415", "429")
WRITES = ("409", "413")


# Readable without signing in: the community's reads (the staff endpoints need a session
# or a token with the staff scope).
STAFF_PATHS = ("/api/v1/escalations/", "/api/v1/feedback/", "/api/v1/digests/")


def problem_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    result.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path, methods in result.get("paths", {}).items():
        for method, operation in methods.items():
            codes = EVERY + (WRITES if method in ("post", "put", "patch", "delete") else ())
            if method == "get" and not path.startswith(STAFF_PATHS):
                operation["security"] = [*operation.get("security", []), {}]  # anonymous too
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(
                    code,
                    {
                        "description": TITLES.get(int(code), "Error"),
                        "content": {PROBLEM: {"schema": reference}},
                    },
                )
    return result
