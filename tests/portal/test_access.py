"""Every core page, with a persona who may see it and one who may not.

Outside one's organisations an object is a 404 (its existence is not confirmed); a member who lacks
the administrator role gets a 403 with a message; anonymous visitors are sent to sign in.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.services.organisations import invitation_create
from portal.services.tokens import api_token_create

PUBLIC = ["home", "aeo:index", "consultations:index", "training:index", "api-docs", "api-schema"]
SIGNED_IN = ["dashboard", "organisation_list", "organisation_create", "account", "notification_list",
             "notification_preferences", "api_tokens", "usersessions_list", "mfa_index"]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages_open_to_anonymous_visitors(client, db, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", SIGNED_IN)
def test_personal_pages_need_sign_in(client, alice, client_for, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client_for(alice).get(reverse(name)).status_code == 200


ORGANISATION_PAGES = [
    # (url name, extra args builder, admin only)
    ("organisation_detail", False),
    ("organisation_edit", True),
    ("invitation_create", True),
    ("organisation_document_upload", True),
]


@pytest.mark.parametrize(("name", "admin_only"), ORGANISATION_PAGES)
def test_organisation_pages(alice, bob, carol, mallory, atlantic, client_for, client, name, admin_only):
    url = reverse(name, args=[atlantic.pk])
    assert client_for(alice).get(url).status_code == 200
    for member in (bob, carol):
        assert client_for(member).get(url).status_code == (403 if admin_only else 200)
    assert client_for(mallory).get(url).status_code == 404
    assert client.get(url).status_code == 302


def test_forbidden_action_explains_why(bob, atlantic, client_for):
    response = client_for(bob).get(reverse("organisation_edit", args=[atlantic.pk]))
    assert "Only the organisation&#x27;s administrators can do this." in response.content.decode()


def test_membership_pages(alice, bob, mallory, atlantic, client_for):
    membership = bob.memberships.get()
    url = reverse("membership_edit", args=[atlantic.pk, membership.pk])
    assert client_for(alice).get(url).status_code == 200
    assert client_for(bob).get(url).status_code == 403
    assert client_for(mallory).get(url).status_code == 404
    # another organisation's membership through one's own organisation's URL
    foreign = mallory.memberships.get()
    assert client_for(alice).get(reverse("membership_edit", args=[atlantic.pk, foreign.pk])).status_code == 404


def test_invitation_revoke(alice, bob, mallory, atlantic, client_for):
    invitation, _token = invitation_create(actor=alice, organisation=atlantic, email="x@example.com", role="member")
    url = reverse("invitation_revoke", args=[atlantic.pk, invitation.pk])
    assert client_for(mallory).post(url).status_code == 404
    assert client_for(bob).post(url).status_code == 403
    assert client_for(alice).post(url).status_code == 302
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None


def test_api_token_of_another_user_is_404(alice, mallory, client_for):
    token, _key = api_token_create(actor=alice, name="ERP")
    url = reverse("api_token_delete", args=[token.pk])
    assert client_for(mallory).post(url).status_code == 404
    assert client_for(alice).post(url).status_code == 302
    assert not alice.api_tokens.exists()


def test_new_token_is_shown_once(alice, client_for):
    client = client_for(alice)
    response = client.post(reverse("api_tokens"), {"name": "ERP export"}, follow=True)
    page = response.content.decode()
    assert "Copy your new token now" in page
    key = page.split('id="new-token">')[1].split("<")[0]
    assert key.startswith("cbp_")
    assert key not in client.get(reverse("api_tokens")).content.decode()
    assert alice.api_tokens.get().key_hash != key


def test_admin_login_goes_through_allauth(client, db):
    response = client.get(reverse("admin:index"), follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('account_login')}?next=%2Fadmin%2F"
    assert "admin" not in response.templates[0].name


def test_non_staff_cannot_use_the_admin(alice, client_for):
    assert client_for(alice).get(reverse("admin:index"), follow=True).status_code == 403


def test_staff_without_mfa_must_set_it_up_first(staff_without_mfa, client_for):
    response = client_for(staff_without_mfa).get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_with_mfa_reach_the_admin(reviewer, client_for):
    assert client_for(reviewer).get(reverse("admin:index")).status_code == 200


def test_unknown_page_is_our_404(client, db):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
