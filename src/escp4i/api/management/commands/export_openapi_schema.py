"""Ninja's ``export_openapi_schema`` (ninja is not an installed app), defaulting to our API."""

from __future__ import annotations

from typing import Any

from ninja.main import NinjaAPI
from ninja.management.commands.export_openapi_schema import Command as NinjaCommand

DEFAULT_API = "escp4i.api.api.api"


class Command(NinjaCommand):
    help = "Write the OpenAPI schema of the API (docs/api/openapi.json is generated with it)."

    def _get_api_instance(self, api_path: str | None = None) -> NinjaAPI:
        return super()._get_api_instance(api_path or DEFAULT_API)

    def handle(self, *args: Any, **options: Any) -> None:
        super().handle(*args, **options)
