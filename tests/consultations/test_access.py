"""Invited-only consultations and drafts are 404 to everyone outside them: pages, files, search, API."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from consultations import services
from consultations.models import Attachment, Comment, PositionPaper
from portal.files import PDF_ONLY, check_upload
from tests import documents
from tests.consultations.factories import CommentFactory

PDF = documents.PDF


def _pdf(name="paper.pdf"):
    return check_upload(SimpleUploadedFile(name, PDF, content_type="application/pdf"), allowed=PDF_ONLY)


def _with_files(consultation, author):
    attachment = _pdf("as-is.pdf").fill(Attachment(consultation=consultation, title="As is"), uploaded_by=author)
    attachment.save()
    comment = CommentFactory(consultation=consultation, author=author, body="Secret working-group position")
    _pdf().fill(PositionPaper(comment=comment), uploaded_by=author).save()
    return attachment, comment


def _urls(consultation, attachment, comment) -> list[str]:
    pk = consultation.pk
    return [
        reverse("consultations:detail", args=[pk]),
        reverse("consultations:attachment", args=[pk, attachment.pk]),
        reverse("consultations:position_paper", args=[pk, comment.pk]),
        reverse("consultations:comment_reply", args=[pk, comment.pk]),
        reverse("consultations:comment_report", args=[pk, comment.pk]),
        reverse("api-consultation-detail", args=[pk]),
        reverse("api-consultation-comments", args=[pk]),
    ]


@pytest.mark.parametrize("outsider", ["mallory", "reviewer", "customs_officer"])
def test_invited_only_consultation_is_404_to_outsiders(request, invited_consultation, alice, client_for, outsider):
    attachment, comment = _with_files(invited_consultation, alice)
    client = client_for(request.getfixturevalue(outsider))
    for url in _urls(invited_consultation, attachment, comment):
        assert client.get(url).status_code == 404, url
    listing = client.get(reverse("consultations:index"), {"q": "bonded warehouses"})
    assert invited_consultation.title not in listing.content.decode()
    api_list = client.get(reverse("api-consultation-list")).json()
    assert invited_consultation.pk not in [c["id"] for c in api_list["results"]]


def test_invited_only_consultation_is_404_to_anonymous_visitors(client, invited_consultation, alice):
    attachment, comment = _with_files(invited_consultation, alice)
    for url in _urls(invited_consultation, attachment, comment)[:3]:
        assert client.get(url).status_code == 404, url
    assert invited_consultation.title not in client.get(reverse("consultations:index")).content.decode()


def test_invited_organisations_and_the_owner_see_it(invited_consultation, alice, bob, member_of_association,
                                                    client_for):
    attachment, comment = _with_files(invited_consultation, alice)
    for user in (bob, member_of_association):
        client = client_for(user)
        for url in _urls(invited_consultation, attachment, comment):
            assert client.get(url).status_code == 200, url
        listing = client.get(reverse("consultations:index"), {"q": "bonded warehouses"}).content.decode()
        assert invited_consultation.title in listing


@pytest.mark.parametrize("viewer", ["alice", "mallory", "customs_officer", "anonymous_client"])
def test_drafts_are_404_outside_their_organisation(request, draft_consultation, member_of_association, client_for,
                                                   client, viewer):
    attachment, comment = _with_files(draft_consultation, member_of_association)
    c = client if viewer == "anonymous_client" else client_for(request.getfixturevalue(viewer))
    urls = [*_urls(draft_consultation, attachment, comment)[:2],
            reverse("consultations:edit", args=[draft_consultation.pk]),
            reverse("consultations:report", args=[draft_consultation.pk]),
            reverse("consultations:export_csv", args=[draft_consultation.pk])]
    for url in urls:
        response = c.get(url)
        assert response.status_code in ((302, 404) if viewer == "anonymous_client" else (404,)), url
        if response.status_code == 302:
            assert "/accounts/login/" in response["Location"]
    assert draft_consultation.title not in c.get(reverse("consultations:index")).content.decode()
    owner = client_for(member_of_association)
    assert owner.get(reverse("consultations:detail", args=[draft_consultation.pk])).status_code == 200


def test_signed_in_audience_hides_from_anonymous(client, open_consultation, alice, client_for):
    open_consultation.audience = "signed_in"
    open_consultation.save()
    url = reverse("consultations:detail", args=[open_consultation.pk])
    assert client.get(url).status_code == 404
    assert client_for(alice).get(url).status_code == 200


def test_public_consultation_is_open_to_everyone(client, open_consultation):
    response = client.get(reverse("consultations:detail", args=[open_consultation.pk]))
    assert response.status_code == 200
    assert "Sign in to comment" in response.content.decode()


def test_only_customs_staff_get_the_official_response_form(open_consultation, alice, reviewer, customs_officer,
                                                           client_for):
    comment = CommentFactory(consultation=open_consultation, author=alice)
    url = reverse("consultations:comment_respond", args=[open_consultation.pk, comment.pk])
    for user in (alice, reviewer):
        assert client_for(user).post(url, {"disposition": "accepted", "reasoning": "x"}).status_code == 403
    response = client_for(customs_officer).post(url, {"disposition": "accepted", "reasoning": "Agreed."})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.official_response.disposition == "accepted"


def test_exports_only_for_owner_and_customs(open_consultation, alice, member_of_association, customs_officer,
                                            client_for):
    services.comment_post(actor=alice, consultation=open_consultation, body="=HYPERLINK(\"x\")")
    csv_url = reverse("consultations:export_csv", args=[open_consultation.pk])
    json_url = reverse("consultations:export_json", args=[open_consultation.pk])
    assert client_for(alice).get(csv_url).status_code == 403
    for user in (member_of_association, customs_officer):
        response = client_for(user).get(csv_url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        assert "'=HYPERLINK" in response.content.decode()  # no formula injection into spreadsheets
        data = client_for(user).get(json_url).json()
        assert [c["comment"] for c in data["comments"]] == ['=HYPERLINK("x")']


def test_commenting_on_a_closed_consultation_says_why(open_consultation, alice, client_for):
    open_consultation.phase = "closed"
    open_consultation.save()
    client = client_for(alice)
    response = client.post(reverse("consultations:comment_post", args=[open_consultation.pk]),
                           {"body": "late"}, follow=True)
    assert "closed for comments" in response.content.decode()
    assert not Comment.objects.exists()


def test_position_paper_must_be_a_real_pdf(open_consultation, alice, client_for):
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf")
    fake.name = "paper.pdf"
    response = client_for(alice).post(reverse("consultations:comment_post", args=[open_consultation.pk]),
                                      {"body": "See the paper", "position_paper": fake})
    assert response.status_code == 200
    assert "its content is" in response.content.decode()
    assert not Comment.objects.exists()


def test_api_writes_on_hidden_consultations_are_404(invited_consultation, draft_consultation, alice, mallory,
                                                    client_for):
    comment = CommentFactory(consultation=invited_consultation, author=alice)
    client = client_for(mallory)
    assert client.post(reverse("api-comment-support", args=[comment.pk])).status_code == 404
    for consultation in (invited_consultation, draft_consultation):
        assert client.post(reverse("api-consultation-follow", args=[consultation.pk])).status_code == 404
        assert client.post(reverse("api-consultation-comments", args=[consultation.pk]), {"body": "x"},
                           content_type="application/json").status_code == 404
        assert client.post(reverse("consultations:follow", args=[consultation.pk])).status_code == 404
        assert client.post(reverse("consultations:comment_post", args=[consultation.pk]),
                           {"body": "x"}).status_code == 404


def test_history_of_the_consultation_only_for_owner_and_customs(open_consultation, member_of_association, alice,
                                                                customs_officer, client_for):
    from consultations import services as s

    s.consultation_close(actor=member_of_association, consultation=open_consultation)
    url = reverse("consultations:detail", args=[open_consultation.pk])
    for user in (member_of_association, customs_officer):
        assert "History of this consultation" in client_for(user).get(url).content.decode()
    assert "History of this consultation" not in client_for(alice).get(url).content.decode()


def test_documents_removed_only_by_the_owner_before_opening(draft_consultation, member_of_association, alice,
                                                            client_for, django_capture_on_commit_callbacks):
    attachment, _comment = _with_files(draft_consultation, member_of_association)
    url = reverse("consultations:attachment_remove", args=[draft_consultation.pk, attachment.pk])
    assert client_for(alice).post(url).status_code == 404  # a draft is not there for her
    stored = attachment.file.name
    storage = attachment.file.storage
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(member_of_association).post(url).status_code == 302
    assert not Attachment.objects.filter(pk=attachment.pk).exists()
    assert not storage.exists(stored)
