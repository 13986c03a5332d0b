"""Uploads are checked by content and size, with a clear error and nothing saved on refusal:
proposal attachments (service, page, API) and registry imports (page, API, command)."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from escp4i.core.uploads import content_matches, upload_check
from escp4i.registry.models import Partnership
from tests.files import docx_bytes, odt_bytes, xlsx_bytes

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"


@pytest.mark.parametrize(
    ("kind", "data", "ok"),
    [
        ("pdf", PDF, True),
        ("pdf", b"<html>not a pdf</html>", False),
        ("docx", docx_bytes(), True),
        ("docx", odt_bytes(), False),
        ("docx", b"PK\x03\x04 broken zip", False),
        ("odt", odt_bytes(), True),
        ("odt", docx_bytes(), False),
        ("xlsx", xlsx_bytes([["a"]]), True),
        ("xlsx", docx_bytes(), False),
        ("csv", "name,country\nÖsterreich,AT\n".encode(), True),
        ("csv", xlsx_bytes([["a"]]), False),
        ("csv", b"a,b\n\x00\x01", False),
        ("csv", b"\xff\xfe\x00a", False),
    ],
)
def test_content_matches(kind, data, ok):
    stream = io.BytesIO(data)
    assert content_matches(kind, stream) is ok
    assert stream.tell() == 0


def test_size_cap_from_settings(settings):
    settings.ESCP4I_UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="at most 100"):
        upload_check(name="a.pdf", data=io.BytesIO(PDF * 10), size=None, allowed=["pdf"])
    assert upload_check(name="a.pdf", data=io.BytesIO(PDF), size=None, allowed=["pdf"]) == "pdf"
    with pytest.raises(ValidationError, match=r"\.exe are not accepted"):
        upload_check(name="a.exe", data=io.BytesIO(b"MZ"), size=2, allowed=["pdf"])


def _import_page(client, officer, name, data):
    client.force_login(officer)
    return client.post(
        "/registry/import/",
        {"kind": "partnerships", "file": SimpleUploadedFile(name, data), "dry_run": ""},
    )


def test_import_page_refuses_disguised_and_oversized_files(
    client, officer, registry_data, settings
):
    count = Partnership.objects.count()
    response = _import_page(client, officer, "table.xlsx", b"acronym,name\nX,Y\n")
    assert response.status_code == 422
    assert "not an XLSX workbook" in response.content.decode()
    response = _import_page(
        client, officer, "table.csv", xlsx_bytes([["acronym", "name"], ["X", "Y"]])
    )
    assert response.status_code == 422
    assert "not CSV text" in response.content.decode()
    settings.ESCP4I_UPLOAD_MAX_BYTES = 50
    response = _import_page(client, officer, "table.csv", b"acronym,name\n" + b"X,Y\n" * 20)
    assert response.status_code == 422
    assert "at most 50" in response.content.decode()
    assert Partnership.objects.count() == count


def test_import_api_refuses_oversized_file(client, officer, registry_data, settings):
    from escp4i.accounts.services import api_token_create

    _row, token = api_token_create(user=officer, name="t")
    settings.ESCP4I_UPLOAD_MAX_BYTES = 50
    response = client.post(
        "/api/v1/imports/partnerships",
        {"file": SimpleUploadedFile("t.csv", b"acronym,name\n" + b"X,Y\n" * 20)},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 422
    assert "at most 50" in response.json()["message"]
