"""A closed consultation's record stays as customs answered it; support is others' opinion; exports are faithful."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Comment, CoSignature, Support
from portal.models import Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def test_authors_remove_their_comments_only_while_open(open_consultation, alice, member_of_association, client_for):
    # given Alice's comment on a consultation that then closes
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Returns need a rule.")
    services.consultation_close(actor=member_of_association, consultation=open_consultation)
    # when she tries to remove it, then she is told why not, and it stays
    with pytest.raises(ValidationError, match="no longer be removed"):
        services.comment_delete(actor=alice, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted_at is None
    # and the thread no longer offers it
    page = client_for(alice).get(open_consultation.get_absolute_url()).content.decode()
    assert reverse("consultations:comment_delete", args=[open_consultation.pk, comment.pk]) not in page
    assert client_for(alice).post(
        reverse("consultations:comment_delete", args=[open_consultation.pk, comment.pk])).status_code == 403


def test_while_open_an_author_still_removes_their_comment(open_consultation, alice):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Withdrawn on reflection.")
    services.comment_delete(actor=alice, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted_at is not None


def test_a_hidden_comment_leaves_other_peoples_notifications(open_consultation, alice, bob, moderator):
    # given Bob follows the consultation and was told of Alice's comment, with its text
    services.follow_set(actor=bob, consultation=open_consultation, delivery="immediate")
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Buy cheap watches here")
    told = Notification.objects.get(recipient=bob, kind="consultations.comment")
    assert "cheap watches" in told.body
    # when a moderator hides it
    services.comment_hide(actor=moderator, comment=comment, reason="Advertising")
    # then Bob's notification no longer carries it, and says why
    told.refresh_from_db()
    assert "cheap watches" not in told.body and "Advertising" in told.body
    # and Alice, its author, is told it was hidden
    assert Notification.objects.filter(recipient=alice, kind="consultations.hidden").exists()


def test_people_cannot_support_their_own_comment(open_consultation, alice, bob, client_for):
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="Keep the paper form.")
    with pytest.raises(ValidationError, match="your own comment"):
        services.comment_support_toggle(actor=alice, comment=comment)
    assert not Support.objects.filter(comment=comment).exists()
    support_url = reverse("consultations:comment_support", args=[open_consultation.pk, comment.pk])
    assert support_url not in client_for(alice).get(open_consultation.get_absolute_url()).content.decode()
    # others can
    assert support_url in client_for(bob).get(open_consultation.get_absolute_url()).content.decode()
    assert services.comment_support_toggle(actor=bob, comment=comment) is True


def test_the_csv_leaves_empty_cells_empty_and_names_cosigners(open_consultation, member_of_association, alice,
                                                                customs_officer, client_for):
    # given a comment for Alice's company, co-signed by another company, and a formula-like comment
    acting = alice.memberships.get()
    comment = services.comment_post(actor=alice, consultation=open_consultation, body="We ask for a year.",
                                    acting_for=acting, on_behalf=True)
    other = OrganisationFactory(name="Douro Wines", identifier="PT502999999")
    signer = MembershipFactory(user=UserFactory(email="signer@douro.example"), organisation=other).user
    CoSignature.objects.create(comment=comment, organisation=other, signed_by=signer)
    services.comment_post(actor=alice, consultation=open_consultation, body="=HYPERLINK(\"http://x\")")
    services.consultation_close(actor=member_of_association, consultation=open_consultation)
    # when the organiser exports the comments
    response = client_for(member_of_association).get(reverse("consultations:export_csv",
                                                             args=[open_consultation.pk]))
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_body = {row["comment"]: row for row in rows}
    # then empty cells are empty, formulas are still defused, co-signers are named
    ours = by_body["We ask for a year."]
    assert ours["disposition"] == "" and ours["reasoning"] == "" and ours["parent_id"] == ""
    assert ours["cosigned_by"] == "Douro Wines"
    assert "'=HYPERLINK(\"http://x\")" in by_body
    assert "'" not in {v for row in rows for v in row.values()}
    # and the outcome report page names the co-signer too
    services.outcome_publish(actor=customs_officer, consultation=open_consultation, summary="Noted.")
    page = client_for(alice).get(reverse("consultations:report", args=[open_consultation.pk])).content.decode()
    assert "Co-signed by Douro Wines" in page
    assert Comment.objects.filter(consultation=open_consultation).count() == 2
