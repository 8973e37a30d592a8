"""A person downloads everything the portal holds about them, and closes their account keeping what the law requires."""

from __future__ import annotations

import json

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from aeo.models import Application
from aeo.services import application_submit
from consultations.models import Comment, Follow
from portal.models import AuditEvent, Membership, Notification, Role, User
from portal.services.notifications import notify
from tests.aeo.conftest import answer_all
from tests.consultations.factories import CommentFactory, ConsultationFactory, FollowFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def alice_with_history(alice, atlantic):
    from aeo.services import application_start

    application = application_start(actor=alice, organisation=atlantic, kind="AEOC")
    answer_all(application, alice)
    application_submit(actor=alice, application=application, signatory_name="Alice Admin",
                       signatory_position="Managing director", confirmed=True)
    association = OrganisationFactory(kind="association", identifier="PT501999999")
    comment = CommentFactory(author=alice, body="Returns need their own simplified procedure.",
                             consultation=ConsultationFactory(organisation=association))
    FollowFactory(user=alice, consultation=comment.consultation)
    notify(recipients=[alice], kind="aeo.application", subject="Your application was received", body="Received.")
    return alice


def test_the_export_holds_the_account_its_applications_comments_and_audit_trail(alice_with_history, client_for):
    # when Alice downloads her data
    response = client_for(alice_with_history).get(reverse("personal_data_download"))
    # then it is a JSON attachment with every part of the portal
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="portal-personal-data-')
    data = json.loads(response.content)
    assert data["portal"]["profile"]["e-mail"] == "alice@atlantic.example"
    assert data["portal"]["memberships"][0]["organisation"] == "Atlantic Freight"
    assert "Your application was received" in [n["subject"] for n in data["portal"]["notifications"]]
    assert {e["action"] for e in data["portal"]["actions recorded in the audit trail"]} >= {"aeo.started", "aeo.submit"}
    signed = data["aeo"]["applications you started or signed"][0]
    assert signed["signed by you"] and signed["signatory name"] == "Alice Admin"
    assert data["aeo"]["answers you last saved"]
    assert data["consultations"]["comments"][0]["comment"] == "Returns need their own simplified procedure."
    assert len(data["consultations"]["consultations you follow"]) == 1
    assert data["training"] == {"enrolments": [], "quiz attempts": [], "certificates": [],
                                "advisory questions you asked": []}
    # and nothing secret: no password hash
    assert "pbkdf2" not in response.content.decode() and "argon2" not in response.content.decode()


def test_the_export_needs_a_sign_in(client, db):
    response = client.get(reverse("personal_data_download"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_closing_erases_the_person_and_keeps_what_the_law_requires(alice_with_history, bob, client_for):
    alice = alice_with_history
    client = client_for(alice)
    application = Application.objects.get(created_by=alice)
    events_before = AuditEvent.objects.filter(actor=alice).count()
    # when Alice closes her account, with her password (Bob is another administrator)
    Membership.objects.filter(user=bob).update(role=Role.ADMIN)
    response = client.post(reverse("account_close"), {"password": "correct-horse-battery", "understood": "on"})
    # then she is signed out and cannot sign in again
    assert response.status_code == 302
    alice.refresh_from_db()
    assert not alice.is_active and not alice.has_usable_password()
    assert alice.email.endswith("@closed.invalid") and alice.full_name == "Former user"
    assert client.get(reverse("dashboard")).status_code == 302
    # and what identified her is gone
    assert not EmailAddress.objects.filter(user=alice).exists()
    assert not Membership.objects.filter(user=alice).exists()
    assert not Notification.objects.filter(recipient=alice).exists()
    assert not Follow.objects.filter(user=alice).exists()
    assert not User.objects.filter(email="alice@atlantic.example").exists()
    # but the signed application, its signature, her comment and the audit trail stay
    application.refresh_from_db()
    assert application.state == "submitted" and application.signatory_name == "Alice Admin"
    assert application.created_by_id == alice.pk
    assert Comment.objects.filter(author=alice, body="Returns need their own simplified procedure.").exists()
    assert AuditEvent.objects.filter(actor=alice).count() == events_before
    assert AuditEvent.objects.filter(action="account.closed", target_id=str(alice.pk)).exists()


def test_a_wrong_password_closes_nothing(alice, client_for):
    response = client_for(alice).post(reverse("account_close"), {"password": "wrong", "understood": "on"})
    assert response.status_code == 200
    assert "That is not your password" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_the_only_administrator_of_a_team_must_hand_over_first(alice, bob, client_for):
    response = client_for(alice).post(reverse("account_close"), {"password": "correct-horse-battery",
                                                                 "understood": "on"})
    assert response.status_code == 200
    assert "You are the only administrator of Atlantic Freight" in response.content.decode()
    alice.refresh_from_db()
    assert alice.is_active


def test_staff_accounts_are_closed_by_a_programme_administrator(reviewer, client_for):
    response = client_for(reviewer).get(reverse("account_close"))
    assert "closed by a programme administrator" in response.content.decode()
    assert client_for(reviewer).post(reverse("account_close"), {"password": "correct-horse-battery",
                                                                "understood": "on"}).status_code == 200
    reviewer.refresh_from_db()
    assert reviewer.is_active


def test_a_lone_member_can_close_their_account(db, client_for):
    loner = MembershipFactory(user=UserFactory(email="solo@example.org"), role=Role.ADMIN).user
    response = client_for(loner).post(reverse("account_close"), {"password": "correct-horse-battery",
                                                                 "understood": "on"})
    assert response.status_code == 302
