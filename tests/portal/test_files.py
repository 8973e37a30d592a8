"""The upload check and the permission-checked download."""

from __future__ import annotations

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import files
from portal.files import check_upload, human_size
from portal.models import OrganisationDocument
from tests import documents

PDF = documents.PDF
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
        ("list.csv", b"a,b\x00\x01,c", "contains NUL bytes"),
        ("notes.txt", b"line one\x07\n", "contains a control character on line 1"),
        ("notes.txt", PDF, "named .txt but its content is PDF"),
    ],
)
def test_refusals_say_what_is_wrong(name, content, message):
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload(name, content))
    assert message in refusal.value.messages[0]


def test_oversized_file_is_refused_with_both_sizes(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload("big.pdf", b"0" * 2150))
    assert "is too large: files may be at most 1\xa0KB; this one is 2.1\xa0KB." in refusal.value.messages[0]


@pytest.mark.parametrize(("size", "shown"), [(1, "1 byte"), (512, "512 bytes"), (10 * 1024 * 1024, "10\xa0MB"),
                                             (int(12.3 * 1024 * 1024), "12.3\xa0MB"), (1536, "1.5\xa0KB")])
def test_sizes_read_as_people_say_them(size, shown):
    assert human_size(size) == shown


def test_a_size_just_over_the_limit_is_told_apart_from_it(settings):
    settings.UPLOAD_MAX_BYTES = 10 * 1024 * 1024
    with pytest.raises(ValidationError) as refusal:
        check_upload(upload("big.pdf", PDF + b"%" * (10 * 1024 * 1024 - len(PDF) + 1)))
    assert "at most 10\xa0MB (10,485,760 bytes); this one is 10,485,761 bytes" in refusal.value.messages[0]


@pytest.mark.parametrize(("name", "content"), [
    ("plan.pdf", documents.pdf(pages=3)), ("photo.png", documents.PNG), ("photo.jpg", documents.JPEG),
    ("letter.docx", documents.DOCX), ("figures.xlsx", documents.XLSX), ("letter.odt", documents.ODT),
    ("figures.ods", documents.ODS), ("goods.csv", documents.CSV), ("notes.txt", b"Plain notes.\r\n"),
])
def test_genuine_documents_of_each_type_pass(name, content):
    assert check_upload(upload(name, content)).sha256 == hashlib.sha256(content).hexdigest()


@pytest.mark.parametrize("cell", ["-12", "+351 21 000 0000", "-1,5", "(12)", "text with = inside"])
def test_csv_cells_that_are_values_pass(cell):
    check_upload(upload("values.csv", f"a,b\nx,{cell}\n".encode()))


@pytest.mark.parametrize("cell", ["=1+2", "@SUM(A1)", "+cmd|' /C calc'!A0", "-2+3", " =HYPERLINK(1)"])
def test_csv_cells_that_run_as_formulas_are_refused(cell):
    with pytest.raises(ValidationError, match="run as a formula"):
        check_upload(upload("values.csv", f"a;b\nx;{cell}\n".encode()))


def test_an_office_file_that_unpacks_too_large_is_refused(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_UNPACKED_BYTES", 100)
    with pytest.raises(ValidationError, match="would unpack to"):
        check_upload(upload("letter.docx", documents.ooxml("docx", {"word/big.xml": b"x" * 200})))


def test_an_office_file_of_too_many_parts_is_refused(monkeypatch):
    monkeypatch.setattr(files, "ZIP_MAX_ENTRIES", 3)
    extra = {f"word/part{i}.xml": b"<p/>" for i in range(5)}
    with pytest.raises(ValidationError, match="is made of 7 parts"):
        check_upload(upload("letter.docx", documents.ooxml("docx", extra)))


def test_an_office_package_of_another_kind_named_docx_is_refused():
    package = documents._zip({"[Content_Types].xml": b"<Types>macroEnabled.main+xml</Types>", "word/x.xml": b"<x/>"})
    with pytest.raises(ValidationError, match=r"is an Office package but not a \.docx document"):
        check_upload(upload("letter.docx", package))


def test_an_image_beyond_the_pixel_limit_is_refused(monkeypatch):
    monkeypatch.setattr(files, "IMAGE_MAX_PIXELS", 1000)
    with pytest.raises(ValidationError, match="is 40 × 30 pixels; images may have at most 0 million"):
        check_upload(upload("photo.png", documents.PNG))


def test_text_beyond_its_own_limit_is_refused(monkeypatch):
    monkeypatch.setattr(files, "TEXT_MAX_BYTES", 10)
    with pytest.raises(ValidationError, match="text and CSV files may be at most 10 bytes; this one is 20 bytes"):
        check_upload(upload("notes.txt", b"x" * 20))


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
