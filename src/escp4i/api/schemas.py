"""The error body every domain error is rendered as (see api/errors.py)."""

from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    code: str
    message: str
    extra: dict[str, Any]
