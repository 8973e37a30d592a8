"""The consultations API: scoped like the pages, writing through the same services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Comment, Follow, Report
from portal.models import Notification


def test_post_support_and_follow_through_the_api(open_consultation, alice, bob, client_for, atlantic):
    client = client_for(alice)
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    response = client.post(url, {"body": "Via the **API**", "on_behalf_of": atlantic.pk},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    comment = response.json()
    assert comment["signed_as"] == "Atlantic Freight" and "<strong>API</strong>" in comment["body_html"]
    support = client_for(bob).post(reverse("api-comment-support", args=[comment["id"]]))
    assert support.json() == {"supported": True, "support_count": 1}
    follow = client_for(bob).post(reverse("api-consultation-follow", args=[open_consultation.pk]),
                                  {"delivery": "immediate"}, content_type="application/json")
    assert follow.json() == {"delivery": "immediate"}
    assert Follow.objects.get(user=bob).delivery == "immediate"
    listing = client.get(url).json()
    assert [c["id"] for c in listing["results"]] == [comment["id"]] and "next" in listing


def test_api_answers_400_with_field_errors(open_consultation, alice, client_for):
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    assert client_for(alice).post(url, {"body": ""}, content_type="application/json").status_code == 400
    open_consultation.phase = "closed"
    open_consultation.save()
    closed = client_for(alice).post(url, {"body": "late"}, content_type="application/json")
    assert closed.status_code == 400 and "closed for comments" in closed.content.decode()


def test_anonymous_cannot_post_and_schema_lists_the_endpoints(client, open_consultation):
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    assert client.post(url, {"body": "x"}).status_code in (401, 403)
    schema = client.get(reverse("api-schema")).content.decode()
    for path in ("/api/v1/consultations/", "/api/v1/consultations/{id}/comments/",
                 "/api/v1/consultations/comments/{id}/support/", "/api/v1/consultations/{id}/follow/"):
        assert path in schema


def test_api_bad_input_is_400_never_500(open_consultation, alice, client_for, mallory):
    client = client_for(alice)
    url = reverse("api-consultation-comments", args=[open_consultation.pk])
    for payload in ({"body": "x", "parent": "abc"}, {"body": "x", "parent": 999999},
                    {"body": "x", "on_behalf_of": 999999}, {"body": ["a", "b"]}, {"body": "a\x00b"}):
        response = client.post(url, payload, content_type="application/json")
        assert response.status_code == 400, (payload, response.content)
    follow = reverse("api-consultation-follow", args=[open_consultation.pk])
    assert client.post(follow, {"delivery": "hourly"}, content_type="application/json").status_code == 400
    assert client.get(reverse("api-consultation-list"), {"organisation": "x", "phase": "nonsense"}).status_code == 200


def _post(client, consultation, data, **kwargs):
    return client.post(reverse("api-consultation-comments", args=[consultation.pk]), data, **kwargs)


def test_a_position_paper_goes_with_a_comment_through_the_same_check(open_consultation, alice, bob, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.files import PDF_ONLY, check_upload
    from tests import documents

    client = client_for(alice)
    # given: a Word document named as what it is, which the comment page refuses
    word = SimpleUploadedFile("position.docx", documents.DOCX)
    try:
        check_upload(SimpleUploadedFile("position.docx", documents.DOCX), allowed=PDF_ONLY)
    except ValidationError as error:
        page_message = error.messages
    refused = _post(client, open_consultation, {"body": "Our position", "position_paper": word})
    assert refused.status_code == 400 and refused.json() == {"position_paper": page_message}
    assert not Comment.objects.exists()

    posted = _post(client, open_consultation, {"body": "Our position",
                                               "position_paper": SimpleUploadedFile("position.pdf", documents.PDF)})
    assert posted.status_code == 201, posted.json()
    paper = posted.json()["position_paper"]
    assert paper["original_name"] == "position.pdf" and len(paper["sha256"]) == 64
    download = client_for(bob).get(paper["download_url"])
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")

    # a reply carries none, as on the page
    reply = _post(client, open_consultation, {"body": "And more", "parent": posted.json()["id"],
                                              "position_paper": SimpleUploadedFile("more.pdf", documents.PDF)})
    assert reply.status_code == 400
    assert reply.json() == {"position_paper": ["A position paper goes with a comment on the consultation, not with "
                                               "a reply."]}
    # once its author removes the comment, the paper goes too
    services.comment_delete(actor=alice, comment=Comment.objects.get(pk=posted.json()["id"]))
    assert client_for(bob).get(paper["download_url"]).status_code == 404


def test_reporting_a_comment_through_the_api(open_consultation, alice, bob, client_for, moderator):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Buy our software!")
    url = reverse("api-comment-report", args=[comment.pk])
    client = client_for(bob)
    empty = client.post(url, {"reason": " "}, content_type="application/json")
    assert empty.status_code == 400
    assert empty.json() == {"reason": ["Say what is wrong with the comment, so a moderator can judge it."]}
    reported = client.post(url, {"reason": "Advertising."}, content_type="application/json")
    assert reported.status_code == 201
    assert reported.json() == {"detail": "Thank you. A moderator will look at the comment."}
    assert Report.objects.get().reason == "Advertising."
    assert Notification.objects.filter(recipient=moderator, kind="consultations.reported").count() == 1
    again = client.post(url, {"reason": "Still advertising."}, content_type="application/json")
    assert again.json() == {"detail": ["You have reported this comment already; a moderator will look at it."]}


def test_co_signing_through_the_api_asks_the_rule_book(open_consultation, alice, bob, carol, atlantic,
                                                       member_of_association, association, client_for):
    from tests.factories import MembershipFactory

    MembershipFactory(user=carol, organisation=association, role="consultant")
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="We propose a threshold.",
                                    acting_for=alice.memberships.get(), on_behalf=True)
    url = reverse("api-comment-cosign", args=[comment.pk])
    listing = reverse("api-consultation-comments", args=[open_consultation.pk])
    eva = client_for(member_of_association)

    # what is offered is what is allowed: the association may co-sign, Atlantic (the author's) may not
    assert eva.get(listing).json()["results"][0]["may_cosign_for"] == [association.pk]
    assert client_for(bob).get(listing).json()["results"][0]["may_cosign_for"] == []
    assert client_for(carol).get(listing).json()["results"][0]["may_cosign_for"] == []  # consultants do not speak

    cosigned = eva.post(url, {"organisation": association.pk}, content_type="application/json")
    assert cosigned.status_code == 201, cosigned.json()
    assert cosigned.json()["cosigned_by"] == ["Importers' Association"] and cosigned.json()["may_cosign_for"] == []
    twice = eva.post(url, {"organisation": association.pk}, content_type="application/json")
    assert twice.json() == {"detail": ["Importers' Association has co-signed this comment already."]}
    own = client_for(bob).post(url, {"organisation": atlantic.pk}, content_type="application/json")
    assert own.status_code == 403
    assert own.json() == {"detail": "Only members of another organisation can co-sign a comment posted on behalf "
                                    "of an organisation."}
    assert client_for(carol).post(url, {"organisation": association.pk},
                                  content_type="application/json").status_code == 403
    assert client_for(bob).post(url, {"organisation": association.pk}, content_type="application/json").json() == {
        "organisation": ["You do not belong to that organisation."]}


def test_report_cosign_and_papers_of_hidden_consultations_are_404(invited_consultation, alice, mallory, client_for):
    comment = services.comment_post(actor=alice, consultation=invited_consultation, body="Inside the group.",
                                    acting_for=alice.memberships.get(), on_behalf=True)
    client = client_for(mallory)
    for name, data in (("api-comment-report", {"reason": "x"}),
                       ("api-comment-cosign", {"organisation": mallory.memberships.get().organisation_id})):
        assert client.post(reverse(name, args=[comment.pk]), data,
                           content_type="application/json").status_code == 404
    assert client.get(reverse("api-comment-position-paper", args=[comment.pk])).status_code == 404
    assert not Report.objects.exists()
