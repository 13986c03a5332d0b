"""Imports are idempotent and resumable: a re-run of the same file changes nothing (its content
hash is recorded in an import-run row) and a crash part-way writes nothing, so a re-run
completes the import."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from escp4i.core.models import ImportRun, ImportRunStatus
from escp4i.registry.models import ClusterOrganisation, Membership, Partnership
from escp4i.registry.services import imports as imports_module
from escp4i.registry.services import registry_import
from tests.ops.test_backup import _snapshot

PARTNERSHIPS = (
    b"acronym,name,generation,target countries,sectors\n"
    b"RUNA,Run Alpha partnership,2016,Japan; Canada,ICT\n"
    b"RUNB,Run Beta partnership,2016,Brazil,Textiles\n"
    b"RUNC,Run Gamma partnership,2016,India,Energy\n"
)
MEMBERSHIPS = (
    b"partnership,generation,organisation,country,role\n"
    b"RUNA,2016,Run Alpha Cluster,DE,coordinator\n"
    b"RUNA,2016,Run Beta Cluster,FR,partner\n"
)


def _import(data: bytes, kind: str = "partnerships", **kwargs):
    return registry_import(
        kind=kind, stream=io.BytesIO(data), fmt="csv", filename="t.csv", **kwargs
    )


def _without_runs(snapshot):
    return {t: rows for t, rows in snapshot.items() if t != "core_importrun"}


def test_rerun_of_the_same_file_changes_nothing(registry_data):
    first = _import(PARTNERSHIPS)
    _import(MEMBERSHIPS, kind="memberships")
    assert first.created == 3
    before = _without_runs(_snapshot())
    again = _import(PARTNERSHIPS)
    members_again = _import(MEMBERSHIPS, kind="memberships")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert (members_again.created, members_again.organisations_created) == (0, 0)
    assert _without_runs(_snapshot()) == before
    assert again.previous_run_id == first.run_id
    assert "imported before" in again.messages[0]
    runs = ImportRun.objects.filter(kind="registry.partnerships", filename="t.csv")
    assert runs.count() == 2
    assert {r.status for r in runs} == {ImportRunStatus.SUCCEEDED}
    assert len({r.content_sha256 for r in runs}) == 1
    assert runs.first().summary["unchanged"] == 3


def test_crash_part_way_writes_nothing_and_a_rerun_completes(registry_data, monkeypatch):
    count = Partnership.objects.count()
    real_set_fields = imports_module._set_fields
    calls = {"n": 0}

    def crash_on_third_row(obj, values):
        calls["n"] += 1
        if calls["n"] == 3:
            raise RuntimeError("disk full")
        return real_set_fields(obj, values)

    monkeypatch.setattr(imports_module, "_set_fields", crash_on_third_row)
    with pytest.raises(RuntimeError, match="disk full"):
        _import(PARTNERSHIPS)
    assert Partnership.objects.count() == count  # the two rows written before were rolled back
    failed = ImportRun.objects.get(kind="registry.partnerships", filename="t.csv")
    assert failed.status == ImportRunStatus.FAILED and "disk full" in failed.error
    monkeypatch.setattr(imports_module, "_set_fields", real_set_fields)
    resumed = _import(PARTNERSHIPS)
    assert resumed.created == 3 and resumed.previous_run_id is None
    assert Partnership.objects.count() == count + 3


def test_rejected_and_dry_run_imports_leave_no_run(registry_data):
    runs = ImportRun.objects.count()
    _import(PARTNERSHIPS, dry_run=True)
    with pytest.raises(imports_module.ImportRejected):
        _import(b"acronym,name\n,\n")
    assert ImportRun.objects.count() == runs


def test_command_rerun_reports_unchanged(registry_data, tmp_path):
    path = tmp_path / "orgs.csv"
    path.write_bytes(b"name,country\nRun Cluster One,DE\nRun Cluster Two,FR\n")
    call_command("import_registry", str(path), "--kind", "organisations", stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_registry", str(path), "--kind", "organisations", stdout=out)
    assert "0 created, 0 updated, 2 unchanged" in out.getvalue()
    assert "imported before" in out.getvalue()
    assert ClusterOrganisation.objects.filter(name__startswith="Run Cluster").count() == 2
    assert not Membership.objects.filter(organisation__name__startswith="Run Cluster").exists()
