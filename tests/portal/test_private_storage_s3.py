"""Private files in an S3 bucket: moto's S3 server stands in for the real one, over HTTP on loopback."""

from __future__ import annotations

import io
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from reportlab.pdfgen import canvas

from portal.models import OrganisationDocument
from portal.storage import PrivateS3Storage, private_files
from tests.s3server import S3Server, s3_server


def _one_page_pdf() -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(72, 720, "Commercial register extract")
    page.save()
    return out.getvalue()


PDF = _one_page_pdf()
BUCKET = "portal-private-test"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    with s3_server() as server:
        server.create_bucket(BUCKET)
        yield server


@pytest.fixture
def bucket_storage(s3, settings) -> S3Server:
    settings.STORAGES = {**settings.STORAGES, "private": s3.storage_setting(BUCKET)}
    return s3


def _upload(client, organisation):
    return client.post(reverse("organisation_document_upload", args=[organisation.pk]),
                       {"description": "Commercial register extract",
                        "file": SimpleUploadedFile("extract.pdf", PDF)})


def test_uploads_go_to_the_bucket_and_come_back_through_the_view(bucket_storage, alice, bob, mallory, atlantic,
                                                                  client_for):
    # given an uploaded document
    assert _upload(client_for(alice), atlantic).status_code == 302
    document = OrganisationDocument.objects.get()

    # then the object is in the bucket, under the server-made name
    assert isinstance(private_files._wrapped, PrivateS3Storage)
    stored = bucket_storage.client().get_object(Bucket=BUCKET, Key=document.file.name)
    assert stored["Body"].read() == PDF

    # and a colleague downloads it through the permission-checked view, as an attachment
    response = client_for(bob).get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="extract.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == PDF

    # while someone from another company gets 404, as for a document that does not exist
    assert client_for(mallory).get(document.get_download_url()).status_code == 404


def test_objects_are_not_readable_without_the_view(bucket_storage, alice, atlantic, client_for):
    _upload(client_for(alice), atlantic)
    key = OrganisationDocument.objects.get().file.name

    # no grant beyond the owner's: no public-read ACL on the object
    grants = bucket_storage.client().get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]
    assert all(g["Grantee"].get("URI") is None for g in grants), grants  # no AllUsers / AuthenticatedUsers

    # and an anonymous request straight to the bucket is refused
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{bucket_storage.endpoint_url}/{BUCKET}/{key}", timeout=5)
    assert refused.value.code == 403

    # nor does the storage hand out a URL that would bypass the permission check
    with pytest.raises(NotImplementedError):
        private_files.url(key)


def test_readiness_covers_the_bucket(bucket_storage, client, db, settings):
    assert client.get(reverse("readyz")).json()["storage"] == "ok"
    settings.STORAGES = {**settings.STORAGES,
                         "private": bucket_storage.storage_setting("a-bucket-that-does-not-exist")}
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["storage"].startswith("error")
