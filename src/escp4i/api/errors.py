"""Mapping domain and validation errors to JSON responses: ``{"code", "message", "extra"}``.

Ninja's own 422 for request-schema errors is left as it is.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI

from escp4i.core.errors import DomainError


def register_error_handlers(api: NinjaAPI) -> None:
    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return api.create_response(
            request,
            {"code": exc.code, "message": exc.message, "extra": exc.extra},
            status=exc.status,
        )

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return api.create_response(
            request,
            {
                "code": "validation_error",
                "message": _("Some fields are not valid."),
                "extra": {"fields": fields},
            },
            status=422,
        )
