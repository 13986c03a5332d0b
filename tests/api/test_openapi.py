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


def test_docs_page_is_the_accessible_swagger(client):
    """Language, contrast fixes and control names (api/docs.py; checked in a browser with axe
    by tests/browser/test_accessibility.py), and no deep links nested in operation buttons."""
    html = client.get("/api/v1/docs").content.decode()
    assert '<html lang="en">' in html
    assert "/static/api/swagger-a11y.css" in html
    assert "/static/api/swagger-a11y.js" in html
    assert '"deepLinking": false' in html
    assert '"syntaxHighlight": false' in html


def test_schema_class_names_are_unique_across_routers():
    """Ninja names an OpenAPI component after its class: two ``EventOut`` classes (label events
    and matchmaking events) silently shared one component, so the label audit trail was
    documented with the event shape. Found by schemathesis; every schema name must be unique."""
    import importlib
    import pkgutil

    from ninja import Schema

    import escp4i.api

    seen: dict[str, list[str]] = {}
    for info in pkgutil.iter_modules(escp4i.api.__path__, "escp4i.api."):
        module = importlib.import_module(info.name)
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, Schema) and obj.__module__ == info.name:
                seen.setdefault(obj.__name__, []).append(info.name)
    assert {name: mods for name, mods in seen.items() if len(mods) > 1} == {}
