"""Checking uploaded files by their content, not their name: size cap and structure.

``upload_check`` refuses a file larger than ``ESCP4I_UPLOAD_MAX_BYTES`` or whose bytes are not
what its extension claims: ``%PDF-`` for PDF, an OOXML zip with its main part for DOCX/XLSX, an
OpenDocument zip whose ``mimetype`` member names a text document for ODT, UTF-8 text without
NUL bytes for CSV. Callers check before anything is saved, so a refusal leaves no trace.
"""

from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

_ZIP_MAGIC = b"PK\x03\x04"
_BINARY_MAGICS = (
    _ZIP_MAGIC,
    b"%PDF-",
    b"\xd0\xcf\x11\xe0",
    b"MZ",
    b"\x7fELF",
    b"\x89PNG",
    b"\xff\xd8\xff",
)
_OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
_ODF_MIMETYPE = {"odt": b"application/vnd.oasis.opendocument.text"}
_TEXT_SAMPLE = 1 << 16


def looks_binary(head: bytes) -> bool:
    """Starts like a zip/OOXML, PDF, OLE (old Office), executable or image file."""
    return head.startswith(_BINARY_MAGICS)


def too_large_error(size: int) -> ValidationError:
    return _too_large(size)


def upload_max_bytes() -> int:
    limit: int = settings.ESCP4I_UPLOAD_MAX_BYTES
    return limit


def _too_large(size: int) -> ValidationError:
    return ValidationError(
        _("The file is %(size)s; at most %(max)s can be uploaded.")
        % {"size": filesizeformat(size), "max": filesizeformat(upload_max_bytes())},
        code="file_too_large",
    )


def _wrong_content(kind: str) -> ValidationError:
    return ValidationError(
        _("The file's content is not a valid %(kind)s file (checked by its content, not its name).")
        % {"kind": kind.upper()},
        code="file_content",
    )


def _zip_names(data: IO[bytes]) -> tuple[zipfile.ZipFile, list[str]] | None:
    try:
        archive = zipfile.ZipFile(data)
        return archive, archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def content_matches(kind: str, data: IO[bytes]) -> bool:
    """Whether the bytes of ``data`` (rewound afterwards) are a ``kind`` file."""
    start = data.tell()
    try:
        head = data.read(8)
        data.seek(start)
        if kind == "pdf":
            return head.startswith(b"%PDF-")
        if kind in _OOXML_MAIN_PART or kind in _ODF_MIMETYPE:
            if not head.startswith(_ZIP_MAGIC):
                return False
            opened = _zip_names(data)
            if opened is None:
                return False
            archive, names = opened
            if kind in _OOXML_MAIN_PART:
                return "[Content_Types].xml" in names and _OOXML_MAIN_PART[kind] in names
            return (
                bool(names)
                and names[0] == "mimetype"
                and (archive.read("mimetype").strip() == _ODF_MIMETYPE[kind])
            )
        if kind in ("csv", "txt"):
            if head.startswith(_BINARY_MAGICS):
                return False
            sample = data.read(_TEXT_SAMPLE)
            if b"\x00" in sample:
                return False
            try:
                codecs.getincrementaldecoder("utf-8-sig")().decode(sample, final=False)
            except UnicodeDecodeError:
                return False
            return True
        return False
    finally:
        data.seek(start)


def upload_check(*, name: str, data: IO[bytes], size: int | None, allowed: Iterable[str]) -> str:
    """The file's kind (its extension) if size and content are acceptable; else ValidationError."""
    allowed = tuple(allowed)
    kind = Path(name).suffix.lower().lstrip(".")
    if kind not in allowed:
        raise ValidationError(
            _("Files of type .%(ext)s are not accepted: use %(allowed)s.")
            % {"ext": kind or "?", "allowed": ", ".join(f".{a}" for a in allowed)},
            code="file_type",
        )
    if size is None:
        start = data.tell()
        size = data.seek(0, io.SEEK_END) - start
        data.seek(start)
    if size > upload_max_bytes():
        raise _too_large(size)
    if not content_matches(kind, data):
        raise _wrong_content(kind)
    return kind
