"""import_registry and export_registry commands."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from escp4i.registry.models import ClusterOrganisation, Membership, Partnership


def _snapshot():
    return (
        list(Partnership.objects.order_by("pk").values()),
        list(ClusterOrganisation.objects.order_by("pk").values()),
        list(Membership.objects.order_by("pk").values()),
    )


def test_import_prints_summary(tmp_path, db, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text("Cluster,Land\nCluster A,NL\nCluster B,BE\n", encoding="utf-8")
    call_command("import_registry", str(path), "--kind", "organisations", "--map", "Land=country")
    out = capsys.readouterr().out
    assert "organisations: 2 rows, 2 created, 0 updated, 0 unchanged" in out
    assert ClusterOrganisation.objects.count() == 2


def test_import_dry_run_writes_nothing(tmp_path, db, capsys):
    path = tmp_path / "orgs.csv"
    path.write_text("name,country\nCluster A,NL\n", encoding="utf-8")
    call_command("import_registry", str(path), "--kind", "organisations", "--dry-run")
    assert "dry run, nothing written" in capsys.readouterr().out
    assert not ClusterOrganisation.objects.exists()


def test_import_xlsx(tmp_path, db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["name", "country", "total members"])
    sheet.append(["Cluster X", "France", 12])
    path = tmp_path / "orgs.xlsx"
    workbook.save(path)
    call_command("import_registry", str(path), "--kind", "organisations")
    assert ClusterOrganisation.objects.get(name="Cluster X").total_members == 12


def test_bad_file_lists_every_bad_row_fails_and_changes_nothing(tmp_path, registry_data, capsys):
    before = _snapshot()
    path = tmp_path / "partnerships.csv"
    path.write_text(
        "acronym,name,generation,category,target_countries,sme_count\n"
        "NEW1,Good row,2016,strand1,US,10\n"
        "NEW2,Bad country,2016,strand2,Atlantis,\n"
        ",Missing acronym,2016,,,\n"
        "NEW4,Bad number,2031,voluntary,,lots\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError, match="not imported"):
        call_command("import_registry", str(path), "--kind", "partnerships")
    err = capsys.readouterr().err.splitlines()
    assert "line 3 target_countries: unknown country or region 'Atlantis'" in err
    assert any(line.startswith("line 4 acronym:") for line in err)
    assert any(line.startswith("line 5 generation:") for line in err)
    assert any(line.startswith("line 5 sme_count:") for line in err)
    assert _snapshot() == before


def test_import_argument_errors(tmp_path, db):
    with pytest.raises(CommandError, match="No such file"):
        call_command("import_registry", str(tmp_path / "missing.csv"), "--kind", "organisations")
    path = tmp_path / "orgs.csv"
    path.write_text("name,country\nA,NL\n", encoding="utf-8")
    with pytest.raises(CommandError, match="--map needs"):
        call_command("import_registry", str(path), "--kind", "organisations", "--map", "oops")
    pdf = path.rename(tmp_path / "orgs.pdf")
    with pytest.raises(CommandError, match="Unsupported file type"):
        call_command("import_registry", str(pdf), "--kind", "organisations")


def test_export_to_stdout_and_file(tmp_path, registry_data, capsys):
    call_command(
        "export_registry", "--kind", "memberships", "--format", "json", "--generation", "2016"
    )
    rows = json.loads(capsys.readouterr().out)
    assert rows and {r["generation"] for r in rows} == {"2016"}
    out = tmp_path / "p.xlsx"
    call_command("export_registry", "--kind", "partnerships", "--format", "xlsx", "--out", str(out))
    assert out.read_bytes()[:2] == b"PK"


def test_export_argument_errors(registry_data):
    with pytest.raises(CommandError, match="No generation"):
        call_command("export_registry", "--kind", "partnerships", "--generation", "1999")
    with pytest.raises(CommandError, match="give --out"):
        call_command("export_registry", "--kind", "partnerships", "--format", "xlsx")
