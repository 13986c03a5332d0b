"""Proposal attachments are checked by content and size; a refused file is not stored."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.files import docx_bytes, odt_bytes

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\n"


@pytest.fixture
def proposal(applicant, open_call, partner_ids, now):
    from tests.calls.test_services import _proposal

    return _proposal(applicant, open_call, partner_ids, now)


def test_attachment_with_disguised_content_is_refused_and_not_stored(
    proposal, applicant, now, settings, tmp_path
):
    from escp4i.calls import services

    settings.MEDIA_ROOT = tmp_path
    disguised = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 an executable", "application/pdf")
    with pytest.raises(ValidationError, match="not a valid PDF"):
        services.proposal_attachment_add(
            actor=applicant, proposal=proposal, title="x", file=disguised, now=now
        )
    assert proposal.attachments.count() == 0
    assert not any(tmp_path.rglob("*"))
    for name, data in (("plan.docx", docx_bytes()), ("plan.odt", odt_bytes()), ("p.pdf", PDF)):
        services.proposal_attachment_add(
            actor=applicant,
            proposal=proposal,
            title=name,
            file=SimpleUploadedFile(name, data),
            now=now,
        )
    assert proposal.attachments.count() == 3


def test_attachment_size_cap_from_settings(proposal, applicant, now, settings):
    from escp4i.calls import services

    settings.ESCP4I_UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)
    with pytest.raises(ValidationError, match="at most 1"):
        services.proposal_attachment_add(
            actor=applicant, proposal=proposal, title="big", file=big, now=now
        )
    assert proposal.attachments.count() == 0
