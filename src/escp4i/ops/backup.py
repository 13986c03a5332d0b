"""Backups and restores: the whole database plus the uploaded files, in one checked archive.

An archive (``.tar.gz``) holds ``manifest.json``, the database (``database.pgdump`` made by
``pg_dump --format=custom`` on PostgreSQL, ``database.sqlite3`` made with SQLite's online backup
API) and ``media/…``. The manifest records the format version, the application version, the
database vendor, the applied migrations and the SHA-256 and size of every other member.

``backup_inspect`` refuses an archive that is unreadable, of another format version, has a
missing, extra or altered member, or an unsafe path. ``restore_problems`` refuses one made on
another database vendor or at another migration state than this code's. Only then does
``backup_restore`` replace the database (in one transaction on PostgreSQL) and the media folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path, PurePosixPath
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from escp4i.core.errors import DomainError

FORMAT = "escp4i-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_FILES = {"postgresql": "database.pgdump", "sqlite": "database.sqlite3"}


class BackupInvalid(DomainError):
    """The archive is unreadable, corrupt or does not match this installation."""

    code = "backup_invalid"
    status = 422


@dataclass(slots=True)
class RestoreReport:
    archive: Path
    manifest: dict[str, Any]
    dry_run: bool
    media_files: int = 0
    removed_media_files: int = 0
    messages: list[str] = field(default_factory=list)


def _app_version() -> str:
    try:
        return version("escp4i")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "unknown"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _vendor() -> str:
    vendor = connections[DEFAULT_DB_ALIAS].vendor
    if vendor not in DB_FILES:
        raise BackupInvalid(_("Backups support PostgreSQL and SQLite, not %(v)s.") % {"v": vendor})
    return vendor


def applied_migrations() -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[DEFAULT_DB_ALIAS])
    state: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def code_migrations() -> dict[str, list[str]]:
    """Every migration this code ships (what a fully migrated database has applied)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    state: dict[str, list[str]] = {}
    for app, name in sorted(loader.disk_migrations):
        state.setdefault(app, []).append(name)
    return state


def pg_tool(name: str) -> str:
    """Path of pg_dump/pg_restore: ESCP4I_PG_BIN_DIR, PATH, then the newest Debian cluster."""
    configured: str = settings.ESCP4I_PG_BIN_DIR
    if configured:
        return str(Path(configured) / name)
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(
        Path("/usr/lib/postgresql").glob(f"*/bin/{name}"),
        key=lambda p: int(p.parts[-3]) if p.parts[-3].isdigit() else 0,
    )
    if candidates:
        return str(candidates[-1])
    raise BackupInvalid(
        _("%(tool)s not found: install the PostgreSQL client or set ESCP4I_PG_BIN_DIR.")
        % {"tool": name}
    )


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = connections[DEFAULT_DB_ALIAS].settings_dict
    args = ["--dbname", str(db["NAME"])]
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(  # noqa: S603  # fixed argv, no shell
        command, env=env, capture_output=True, text=True, check=False, timeout=3600
    )
    if result.returncode != 0:
        tool = Path(command[0]).name
        raise BackupInvalid(
            _("%(tool)s failed: %(error)s") % {"tool": tool, "error": result.stderr.strip()[-2000:]}
        )


def _dump_database(vendor: str, target: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "postgresql":
        args, env = _pg_args()
        _run(
            [
                pg_tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                *args,
                "--file",
                str(target),
            ],
            env,
        )
        return
    if connection.in_atomic_block:
        # SQLite's backup API waits for the open write transaction, which is this one.
        raise BackupInvalid(_("A SQLite backup cannot run inside a database transaction."))
    connection.ensure_connection()
    source = connection.connection
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)  # a consistent snapshot, even while others write
    finally:
        destination.close()


def backup_create(*, output: Path | None = None, now: dt.datetime | None = None) -> Path:
    """Write an archive of the database and the media folder; returns its path.

    The archive appears under its final name only once complete (written as ``.partial``)."""
    vendor = _vendor()
    now = now or dt.datetime.now(tz=dt.UTC)
    if output is None or output.is_dir():
        folder = output or Path(settings.ESCP4I_BACKUP_DIR)
        output = folder / f"escp4i-backup-{now:%Y%m%dT%H%M%SZ}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="escp4i-backup-") as tmp:
        db_file = Path(tmp) / DB_FILES[vendor]
        _dump_database(vendor, db_file)
        members: dict[str, Path] = {DB_FILES[vendor]: db_file}
        if media_root.is_dir():
            for path in sorted(media_root.rglob("*")):
                if path.is_file() and not path.is_symlink():
                    members[f"media/{path.relative_to(media_root).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "app_version": _app_version(),
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "file": DB_FILES[vendor]},
            "migrations": applied_migrations(),
            "files": {
                name: {"sha256": _sha256(path), "size": path.stat().st_size}
                for name, path in members.items()
            },
        }
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                archive.add(path, arcname=name, recursive=False)
        partial.replace(output)
    return output


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == path.as_posix()


def _extract(archive_path: Path, target: Path | None) -> dict[str, Any]:
    """Read (and, with ``target``, extract) the archive, checking every member."""
    try:
        archive = tarfile.open(archive_path, "r:gz")  # noqa: SIM115  # closed below
    except (OSError, tarfile.TarError, EOFError) as exc:
        raise BackupInvalid(
            _("%(path)s is not a readable backup archive (%(error)s).")
            % {"path": archive_path, "error": exc}
        ) from None
    try:
        try:
            manifest_member = archive.extractfile(MANIFEST)
            if manifest_member is None:
                raise KeyError(MANIFEST)
            manifest = json.loads(manifest_member.read().decode("utf-8"))
        except (KeyError, ValueError, OSError, tarfile.TarError, EOFError) as exc:
            raise BackupInvalid(
                _(
                    "The archive has no readable manifest.json (%(error)s): it is not an escp4i "
                    "backup or it is corrupt."
                )
                % {"error": exc}
            ) from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise BackupInvalid(_("The archive is not an escp4i backup."))
        if manifest.get("format_version") != FORMAT_VERSION:
            raise BackupInvalid(
                _(
                    "The archive has backup format version %(got)s; this escp4i reads version "
                    "%(want)s."
                )
                % {"got": manifest.get("format_version"), "want": FORMAT_VERSION}
            )
        expected: dict[str, dict[str, Any]] = manifest.get("files") or {}
        seen: set[str] = set()
        try:
            for member in archive:
                if member.name == MANIFEST:
                    continue
                if not member.isfile() or not _safe_name(member.name):
                    raise BackupInvalid(
                        _("The archive member %(name)r is not a plain file with a safe path.")
                        % {"name": member.name}
                    )
                if member.name not in expected:
                    raise BackupInvalid(
                        _("The archive member %(name)r is not listed in the manifest.")
                        % {"name": member.name}
                    )
                stream = archive.extractfile(member)
                assert stream is not None  # noqa: S101  # isfile() checked above
                digest = hashlib.sha256()
                out = None
                if target is not None:
                    destination = target / member.name
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    out = destination.open("wb")
                try:
                    for chunk in iter(lambda: stream.read(1 << 20), b""):  # noqa: B023  # used at once
                        digest.update(chunk)
                        if out is not None:
                            out.write(chunk)
                finally:
                    if out is not None:
                        out.close()
                if digest.hexdigest() != expected[member.name].get("sha256"):
                    raise BackupInvalid(
                        _("Checksum mismatch for %(name)s: the archive is corrupt.")
                        % {"name": member.name}
                    )
                seen.add(member.name)
        except (OSError, tarfile.TarError, EOFError, zlib.error) as exc:
            raise BackupInvalid(_("The archive is corrupt (%(error)s).") % {"error": exc}) from None
        missing = sorted(set(expected) - seen)
        if missing:
            raise BackupInvalid(
                _("The archive lacks %(n)d file(s) listed in its manifest, e.g. %(name)s.")
                % {"n": len(missing), "name": missing[0]}
            )
        return manifest
    finally:
        archive.close()


def backup_inspect(path: Path) -> dict[str, Any]:
    """The manifest of a complete, uncorrupted archive (every checksum verified)."""
    return _extract(path, None)


def restore_problems(manifest: dict[str, Any]) -> list[str]:
    """Why this archive cannot be restored into this installation (empty: it can)."""
    problems = []
    vendor = _vendor()
    archived_vendor = (manifest.get("database") or {}).get("vendor")
    if archived_vendor != vendor:
        problems.append(
            _("The archive holds a %(got)s database; this installation uses %(want)s.")
            % {"got": archived_vendor, "want": vendor}
        )
    archived: dict[str, list[str]] = manifest.get("migrations") or {}
    code = code_migrations()
    archived_set = {(a, n) for a, names in archived.items() for n in names}
    code_set = {(a, n) for a, names in code.items() for n in names}
    newer = sorted(archived_set - code_set)
    older = sorted(code_set - archived_set)
    if newer:
        problems.append(
            _(
                "The archive was made by a newer escp4i: %(n)d migration(s) unknown here, e.g. "
                "%(m)s. Upgrade escp4i first."
            )
            % {"n": len(newer), "m": "/".join(newer[0])}
        )
    if older:
        problems.append(
            _(
                "The archive was made before %(n)d migration(s) of this escp4i, e.g. %(m)s. "
                "Restore it with the escp4i version that made it (%(v)s), then upgrade."
            )
            % {"n": len(older), "m": "/".join(older[0]), "v": manifest.get("app_version")}
        )
    return problems


def _restore_database(vendor: str, db_file: Path) -> None:
    connection = connections[DEFAULT_DB_ALIAS]
    if vendor == "postgresql":
        connection.close()
        args, env = _pg_args()
        _run(
            [
                pg_tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                *args,
                str(db_file),
            ],
            env,
        )
        return
    if connection.in_atomic_block:
        raise BackupInvalid(_("A SQLite restore cannot run inside a database transaction."))
    connection.ensure_connection()
    source = sqlite3.connect(db_file)
    try:
        source.backup(connection.connection)  # replaces every page of the live database
    finally:
        source.close()


def _restore_media(extracted: Path, report: RestoreReport) -> None:
    media_root = Path(settings.MEDIA_ROOT)
    media_root.mkdir(parents=True, exist_ok=True)
    wanted = {
        name.removeprefix("media/")
        for name in report.manifest["files"]
        if name.startswith("media/")
    }
    for path in sorted(media_root.rglob("*"), reverse=True):
        relative = path.relative_to(media_root).as_posix()
        if path.is_file() and relative not in wanted:
            path.unlink()
            report.removed_media_files += 1
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()
    for name in sorted(wanted):
        destination = media_root / name
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(extracted / "media" / name, destination)
        report.media_files += 1


def backup_restore(*, path: Path, dry_run: bool = False) -> RestoreReport:
    """Check the archive, then (unless ``dry_run``) replace the database and the media files.

    Raises ``BackupInvalid`` with every reason before anything is changed."""
    manifest = backup_inspect(path)
    problems = restore_problems(manifest)
    if problems:
        raise BackupInvalid(" ".join(problems), problems=problems)
    report = RestoreReport(archive=path, manifest=manifest, dry_run=dry_run)
    media = [name for name in manifest["files"] if name.startswith("media/")]
    if dry_run:
        report.media_files = len(media)
        return report
    vendor = manifest["database"]["vendor"]
    with tempfile.TemporaryDirectory(prefix="escp4i-restore-") as tmp:
        extracted = Path(tmp)
        _extract(path, extracted)
        _restore_database(vendor, extracted / manifest["database"]["file"])
        _restore_media(extracted, report)
    return report
