"""The upload check and the permission-checked download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.files import check_upload
from portal.models import OrganisationDocument

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"This program cannot be run"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def test_pdf_passes_with_its_hash():
    checked = check_upload(upload("register-extract.pdf", PDF))
    assert checked.content_type == "application/pdf"
    assert checked.sha256 == hashlib.sha256(PDF).hexdigest()
    assert checked.original_name == "register-extract.pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("invoice.pdf", EXE, "named .pdf but its content is EXE"),
        ("photo.png", PDF, "named .png but its content is PDF"),
        ("empty.pdf", b"", "is empty"),
        ("tool.exe", EXE, "is not an accepted type"),
        ("no-extension", PDF, "is not an accepted type"),
        ("list.csv", b"a,b\x00\x01,c", "named .csv but its content is unrecognised content"),
    ],
)
def test_refusals_say_what_is_wrong(name, content, message):
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(name, content))
    assert message in refusal.value.messages[0]


def test_oversized_file_is_refused_with_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload("big.pdf", PDF + b"0" * 2000))
    assert "files may be at most 1.0\xa0KB" in refusal.value.messages[0]


def test_text_files_are_checked_as_text():
    assert check_upload(upload("goods.csv", "code;description\n8471;Computers — ação\n".encode())).extension == "csv"


def test_path_in_the_file_name_is_dropped():
    assert check_upload(upload("../../etc/passwd.pdf", PDF)).original_name == "passwd.pdf"


def _post_document(client, organisation, content, name="extract.pdf"):
    return client.post(
        reverse("organisation_document_upload", args=[organisation.pk]),
        {"description": "Commercial register extract", "file": upload(name, content)},
    )


def test_admin_uploads_and_members_download(alice, bob, atlantic, client_for):
    assert _post_document(client_for(alice), atlantic, PDF).status_code == 302
    document = OrganisationDocument.objects.get()
    assert document.file.name.endswith(f"{document.sha256}.pdf"), document.file.name  # a server-made name
    response = client_for(bob).get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="extract.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_refused_upload_keeps_the_rest_of_the_form(alice, atlantic, client_for):
    response = _post_document(client_for(alice), atlantic, EXE, name="invoice.pdf")
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "its content is EXE" in page
    assert 'value="Commercial register extract"' in page
    assert not OrganisationDocument.objects.exists()


def test_outsider_gets_404_on_download(alice, mallory, atlantic, client_for):
    _post_document(client_for(alice), atlantic, PDF)
    document = OrganisationDocument.objects.get()
    assert client_for(mallory).get(document.get_download_url()).status_code == 404
    # also through another organisation's URL
    mallory_org = mallory.memberships.get().organisation_id
    url = reverse("organisation_document_download", args=[mallory_org, document.pk])
    assert client_for(mallory).get(url).status_code == 404


def test_member_cannot_upload_or_remove(alice, bob, atlantic, client_for):
    assert _post_document(client_for(bob), atlantic, PDF).status_code == 403
    _post_document(client_for(alice), atlantic, PDF)
    document = OrganisationDocument.objects.get()
    url = reverse("organisation_document_remove", args=[atlantic.pk, document.pk])
    assert client_for(bob).post(url).status_code == 403
    assert client_for(alice).post(url).status_code == 302
    assert not OrganisationDocument.objects.exists()


def test_files_are_not_under_a_public_url(settings):
    from django.core.files.storage import storages

    with pytest.raises(NotImplementedError):
        storages["private"].url("aeo/evidence.pdf")
    assert not str(storages["private"].location).startswith(str(settings.STATIC_ROOT))
