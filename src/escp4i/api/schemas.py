"""The error body every domain error is rendered as (see api/errors.py)."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    extra: dict[str, Any]


# The error responses a write operation documents (beside the standard ones, api/openapi.py).
WRITE_ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
