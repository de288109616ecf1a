"""The signed agreement: PDF only, at most 10 MB, stored under MEDIA_ROOT, streamed to insiders."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from partnerships.models import MAX_AGREEMENT_SIZE

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _upload(client, partnership, name, content, content_type="application/pdf"):
    return client.post(
        reverse("partnerships:partnership_document", args=[partnership.pk]),
        {"document": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def test_valid_pdf_is_stored_under_media_root(client, staff_a, partnership_a):
    client.force_login(staff_a)
    assert (
        client.get(
            reverse("partnerships:partnership_document", args=[partnership_a.pk])
        ).status_code
        == 200
    )
    response = _upload(client, partnership_a, "overeenkomst.pdf", PDF)
    assert response.status_code == 302
    partnership_a.refresh_from_db()
    stored = Path(partnership_a.document.path)
    assert stored.is_file()
    assert stored.read_bytes() == PDF
    assert Path(settings.MEDIA_ROOT) in stored.parents
    assert Path(settings.STATIC_ROOT) not in stored.parents


def test_non_pdf_extension_is_refused(client, staff_a, partnership_a):
    client.force_login(staff_a)
    response = _upload(client, partnership_a, "overeenkomst.docx", PDF, "application/msword")
    assert response.status_code == 400
    assert "document" in response.context["form"].errors
    partnership_a.refresh_from_db()
    assert not partnership_a.document


def test_file_named_pdf_without_pdf_content_is_refused(client, staff_a, partnership_a):
    client.force_login(staff_a)
    response = _upload(client, partnership_a, "overeenkomst.pdf", b"MZ\x90\x00 not a pdf")
    assert response.status_code == 400
    assert "document" in response.context["form"].errors
    partnership_a.refresh_from_db()
    assert not partnership_a.document


def test_pdf_over_10_mb_is_refused_with_message(client, staff_a, partnership_a):
    client.force_login(staff_a)
    big = PDF + b"0" * (MAX_AGREEMENT_SIZE + 1 - len(PDF))
    response = _upload(client, partnership_a, "groot.pdf", big)
    assert response.status_code == 400
    assert "10 MB" in " ".join(response.context["form"].errors["document"])
    partnership_a.refresh_from_db()
    assert not partnership_a.document


def test_pdf_of_exactly_10_mb_is_accepted(client, staff_a, partnership_a):
    client.force_login(staff_a)
    exact = PDF + b"0" * (MAX_AGREEMENT_SIZE - len(PDF))
    assert _upload(client, partnership_a, "precies.pdf", exact).status_code == 302


def test_staff_of_office_downloads_document_as_attachment(client, staff_a, partnership_a):
    client.force_login(staff_a)
    _upload(client, partnership_a, "overeenkomst.pdf", PDF)
    response = client.get(
        reverse("partnerships:partnership_document_download", args=[partnership_a.pk])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == PDF


def test_other_office_and_other_roles_cannot_download(
    client, staff_a, staff_b, caseworker_b, manager, partnership_a
):
    client.force_login(staff_a)
    _upload(client, partnership_a, "overeenkomst.pdf", PDF)
    url = reverse("partnerships:partnership_document_download", args=[partnership_a.pk])
    client.force_login(staff_b)
    assert client.get(url).status_code == 404
    for user in (caseworker_b, manager):
        client.force_login(user)
        assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302


def test_download_without_document_is_404(client, staff_a, partnership_a):
    client.force_login(staff_a)
    url = reverse("partnerships:partnership_document_download", args=[partnership_a.pk])
    assert client.get(url).status_code == 404


def test_media_files_are_not_served_by_url(client, staff_a, partnership_a):
    client.force_login(staff_a)
    _upload(client, partnership_a, "overeenkomst.pdf", PDF)
    partnership_a.refresh_from_db()
    assert client.get(f"/media/{partnership_a.document.name}").status_code == 404
