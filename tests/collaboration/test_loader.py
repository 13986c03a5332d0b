import json

import pytest
from django.core.management import CommandError, call_command

from escp4i.collaboration.models import PolicyDialogue, SupportService
from escp4i.collaboration.services import DATA_FILE, collaboration_load_shipped
from escp4i.core.errors import ImportRejected


def test_load_creates_every_shipped_row_with_sources(collaboration_data):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    assert collaboration_data.services_created == len(data["services"]) == 9
    assert collaboration_data.dialogues_created == len(data["dialogues"]) == 10
    for row in [*SupportService.objects.all(), *PolicyDialogue.objects.all()]:
        assert row.source_urls, row
        assert all(url.startswith(("http://", "https://")) for url in row.source_urls)
    helpdesk = SupportService.objects.get(slug="ipr-sme-helpdesks")
    assert set(helpdesk.kind_values) == {"ipr_advice", "training"}
    assert {c.code for c in helpdesk.countries.all()} == {"CN", "IN"}
    assert {r.slug for r in helpdesk.regions.all()} == {"southeast-asia", "latin-america"}


def test_every_source_url_is_cited_in_programme_md():
    """The data file transcribes programme.md: no source may come from anywhere else."""
    from escp4i.registry.services.shipped import DATA_DIR

    programme = (DATA_DIR / "programme.md").read_text(encoding="utf-8")
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    urls = [u for row in data["services"] + data["dialogues"] for u in row["source_urls"]]
    urls += [d["url"] for row in data["dialogues"] for d in row["documents"]]
    urls += [e["url"] for row in data["dialogues"] for e in row["related_events"] if e["url"]]
    missing = [u for u in urls if u not in programme]
    assert not missing


def test_load_twice_changes_nothing(collaboration_data):
    again = collaboration_load_shipped()
    assert again.services_created == again.services_updated == 0
    assert again.dialogues_created == again.dialogues_updated == 0
    assert again.services_unchanged == 9
    assert SupportService.objects.count() == 9


def test_load_repairs_edited_rows(collaboration_data):
    service = SupportService.objects.get(slug="eccp")
    service.name = "changed"
    service.save()
    service.kind_rows.all().delete()
    summary = collaboration_load_shipped()
    assert summary.services_updated == 1
    service.refresh_from_db()
    assert service.name.startswith("European Cluster Collaboration Platform")
    assert set(service.kind_values) == {"partner_search", "trade_missions"}


def test_load_rejects_unknown_country_and_writes_nothing(registry_data, tmp_path):
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    data["dialogues"][-1]["countries"] = ["QQ"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ImportRejected):
        collaboration_load_shipped(path=bad)
    assert SupportService.objects.count() == 0


def test_command_dry_run_keeps_nothing(registry_data, capsys):
    call_command("load_collaboration", "--dry-run")
    assert "dry run" in capsys.readouterr().out
    assert SupportService.objects.count() == 0
    call_command("load_collaboration")
    assert SupportService.objects.count() == 9


def test_command_fails_without_reference_data(db, monkeypatch):
    from escp4i.registry.models import Country

    Country.objects.filter(code="CN").delete()
    with pytest.raises(CommandError):
        call_command("load_collaboration")
