"""Backup → wipe → restore reproduces every row of every table and every media file; restore
refuses corrupt or mismatched archives with a clear message and has a dry run."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from escp4i.accounts.models import User
from escp4i.core.audit import audit_record
from escp4i.ops.backup import BackupInvalid, backup_create, backup_inspect, backup_restore


def _snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in a deterministic order."""
    tables = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith("sqlite_"):
                continue
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
            cursor.execute(
                f"SELECT {quoted} FROM {connection.ops.quote_name(table)} "  # noqa: S608  # introspected names
                f"ORDER BY {', '.join(str(i + 1) for i in range(len(columns)))}"
            )
            tables[table] = [tuple(row) for row in cursor.fetchall()]
    return tables


def _media(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ESCP4I_BACKUP_DIR = tmp_path / "backups"
    return settings.MEDIA_ROOT


@pytest.fixture
def data(registry_data, media):
    """Rows in most apps (registry, accounts, audit, reference data) and a media file."""
    from django.core.files.storage import default_storage

    user = User.objects.create_user(username="backup-user", email="b@example.org", password="x")
    audit_record(actor=user, action="test.backup", target=user, data={"ünïcode": "✓", "n": 1.5})
    default_storage.save("calls/proposals/1/plan.pdf", ContentFile(b"%PDF-1.4 plan"))
    default_storage.save("nested/dir/notes.txt", ContentFile("über".encode()))
    return user


def _wipe(media_root: Path) -> None:
    call_command("flush", "--noinput", verbosity=0)
    for path in sorted(media_root.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()


def _round_trip(media_root: Path, tmp_path: Path) -> None:
    before, files_before = _snapshot(), _media(media_root)
    assert sum(len(rows) for rows in before.values()) > 500
    assert len(files_before) == 2
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "b.tar.gz"), stdout=out)
    archive = tmp_path / "b.tar.gz"
    assert "Backup written" in out.getvalue()
    _wipe(media_root)
    (media_root / "stray.txt").write_text("made after the backup")
    wiped = _snapshot()
    assert wiped != before and not wiped["accounts_user"]
    call_command("restore", str(archive), "--yes", stdout=io.StringIO())
    after = _snapshot()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert _media(media_root) == files_before


@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_reproduces_every_row_sqlite(data, media, tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite path; the PostgreSQL one is the test below")
    _round_trip(media, tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_wipe_restore_reproduces_every_row_postgres(data, media, tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("needs DATABASE_URL=postgres://…")
    _round_trip(media, tmp_path)


def _rewrite(archive: Path, target: Path, *, manifest=None, replace=None) -> Path:
    """Copy an archive, changing its manifest or one member's bytes."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = src.extractfile(member).read()
            if member.name == "manifest.json" and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            if replace and member.name in replace:
                data = replace[member.name]
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))
    return target


@pytest.mark.django_db(transaction=True)
def test_manifest_records_versions_migrations_and_checksums(data, tmp_path):
    manifest = backup_inspect(backup_create(output=tmp_path))
    assert manifest["format_version"] == 1
    assert manifest["app_version"]
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["core"]
    assert set(manifest["files"]) >= {"media/calls/proposals/1/plan.pdf"}
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_corrupt_and_mismatched_archives(data, tmp_path):
    archive = backup_create(output=tmp_path / "good.tar.gz")
    db_member = backup_inspect(archive)["database"]["file"]
    cases = {
        "truncated": (tmp_path / "t.tar.gz", "corrupt"),
        "garbage": (tmp_path / "g.tar.gz", "not a readable backup archive"),
        "altered": (
            _rewrite(archive, tmp_path / "a.tar.gz", replace={db_member: b"tampered"}),
            "Checksum mismatch",
        ),
        "newer": (
            _rewrite(
                archive,
                tmp_path / "n.tar.gz",
                manifest=lambda m: {**m, "migrations": {**m["migrations"], "core": ["9999_x"]}},
            ),
            "newer escp4i",
        ),
        "format": (
            _rewrite(archive, tmp_path / "f.tar.gz", manifest=lambda m: {**m, "format_version": 2}),
            "format version 2",
        ),
        "vendor": (
            _rewrite(
                archive,
                tmp_path / "v.tar.gz",
                manifest=lambda m: {**m, "database": {"vendor": "oracle", "file": db_member}},
            ),
            "holds a oracle database",
        ),
    }
    (tmp_path / "t.tar.gz").write_bytes(archive.read_bytes()[:-200])
    (tmp_path / "g.tar.gz").write_bytes(b"PK\x03\x04 not a tar at all")
    before = _snapshot()
    for name, (path, message) in cases.items():
        with pytest.raises(BackupInvalid) as excinfo:
            backup_restore(path=path)
        assert message in excinfo.value.message, name
        with pytest.raises(CommandError, match=message):
            call_command("restore", str(path), "--yes")
    assert _snapshot() == before


@pytest.mark.django_db(transaction=True)
def test_dry_run_checks_and_changes_nothing(data, media, tmp_path):
    archive = backup_create(output=tmp_path / "b.tar.gz")
    User.objects.create_user(username="after-backup", password="x")
    before, files = _snapshot(), _media(media)
    out = io.StringIO()
    call_command("restore", str(archive), "--dry-run", stdout=out)
    assert "dry run, nothing changed" in out.getvalue()
    assert _snapshot() == before and _media(media) == files
    with pytest.raises(CommandError, match="pass --yes"):
        call_command("restore", str(archive))
