"""The API instance class: ninja's, plus the error responses every operation can return.

Some errors come from the shared handlers (api/errors.py) rather than from an operation's own
code: a request that does not match the schema (422), a body that cannot be read (400), a missing
or bad token (401), a path parameter of the wrong type or an unknown object (404). They are added
to each operation's documented responses here, so the schema stays true for operations added
later without every router repeating them.
"""

from __future__ import annotations

from typing import Any

from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema

from escp4i.api.schemas import ErrorOut

_ERROR_REF = {"$ref": "#/components/schemas/ErrorOut"}

STANDARD_ERRORS = {
    "400": "The request body could not be read.",
    "401": "Missing, unknown or revoked API token.",
    "404": "No such object (or not visible to you), or a path parameter of the wrong type.",
    "422": "The request does not match the schema or fails validation: see extra.",
}


def _error_response(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR_REF}}}


def _standard_statuses(path: str, operation: dict[str, Any]) -> list[str]:
    statuses = []
    if operation.get("requestBody"):
        statuses.append("400")
    if operation.get("security"):
        statuses.append("401")
    if "{" in path:
        statuses.append("404")
    if operation.get("parameters") or operation.get("requestBody"):
        statuses.append("422")
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
                    responses.setdefault(status, _error_response(STANDARD_ERRORS[status]))
                operation["responses"] = dict(sorted(responses.items()))
        return schema
