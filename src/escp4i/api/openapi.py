"""The API instance class: ninja's, plus the error responses every operation can return.

Some errors come from the shared handlers (api/errors.py) and middleware rather than from an
operation's own code: a request that does not match the schema (422), a body that cannot be read
or a page cursor that is not valid (400, keyset-paginated lists), a missing or bad token (401),
a path parameter of the wrong type or an unknown object (404), and the rate limits (429 with
``Retry-After``, api/ratelimit.py: the address and token limits count every request under
``/api/``, so every operation can answer it). They are added to
each operation's documented responses here, so the schema stays true for operations added later
without every router repeating them.
"""

from __future__ import annotations

import copy
from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from escp4i.api.schemas import ErrorOut

_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}

STANDARD_ERRORS = {
    "400": "The request body could not be read, or the page cursor is not valid.",
    "401": "Missing, unknown or revoked API token.",
    "404": "No such object (or not visible to you), or a path parameter of the wrong type.",
    "422": "The request does not match the schema or fails validation: see extra.",
    "429": (
        "Too many requests from this address or token, or too many failed token "
        "authentications from this address: wait Retry-After seconds (also extra.retry_after)."
    ),
}

_RATE_LIMIT_HEADERS: dict[str, Any] = {
    "Retry-After": {
        "description": "Seconds until the current rate-limit window ends.",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    },
    "X-RateLimit-Limit": {
        "description": "Requests allowed per window for this address or token.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "X-RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer", "minimum": 0},
    },
}


def _error_response(status: str) -> dict[str, Any]:
    response: dict[str, Any] = {
        "description": STANDARD_ERRORS[status],
        "content": {"application/json": {"schema": _ERROR_REF}},
    }
    if status == "429":
        response["headers"] = copy.deepcopy(_RATE_LIMIT_HEADERS)
    return response


def _standard_statuses(path: str, operation: dict[str, Any]) -> list[str]:
    statuses = []
    cursor = any(p.get("name") == "cursor" for p in operation.get("parameters", []))
    if operation.get("requestBody") or cursor:  # a tampered cursor: invalid_cursor
        statuses.append("400")
    if operation.get("security"):
        statuses.append("401")
    if "{" in path:
        statuses.append("404")
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append("422")
    statuses.append("429")
    return statuses


class Escp4iAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.setdefault("ErrorOut", ErrorOut.model_json_schema())
        for path, operations in schema["paths"].items():
            for operation in operations.values():
                # ninja keys responses by int status; JSON turns them into strings anyway
                responses = {str(k): v for k, v in operation.get("responses", {}).items()}
                for status in _standard_statuses(path, operation):
                    responses.setdefault(status, _error_response(status))
                operation["responses"] = dict(sorted(responses.items()))
        return schema
