"""The committed OpenAPI document matches the live schema (regenerate with `make openapi`)."""

from __future__ import annotations

import json
from pathlib import Path

from ninja.responses import NinjaJSONEncoder

from escp4i.api.api import api

DOC = Path(__file__).resolve().parents[2] / "docs" / "api" / "openapi.json"


def test_committed_openapi_matches_live_schema():
    live = json.loads(json.dumps(api.get_openapi_schema(), cls=NinjaJSONEncoder))
    committed = json.loads(DOC.read_text(encoding="utf-8"))
    assert committed == live, (
        "docs/api/openapi.json is out of date: run `make openapi` (manage.py "
        "export_openapi_schema --api escp4i.api.api.api --output docs/api/openapi.json --indent 2)"
    )


def test_openapi_and_docs_are_served(client, db):
    schema = client.get("/api/v1/openapi.json")
    assert schema.status_code == 200
    assert "/api/v1/partnerships" in schema.json()["paths"]
    assert schema.json()["components"]["securitySchemes"]["ApiTokenAuth"]["scheme"] == "bearer"
    assert client.get("/api/v1/docs").status_code == 200
