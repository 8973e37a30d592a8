"""What sends e-mail or costs others is limited: password reset per address and per client, the same
answer whether or not an account exists, invitations per person, per organisation and for
organisations customs has not verified; the invitation limits hold while the cache is down."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Invitation, Notification
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def _reset(client, email, **extra):
    return client.post(reverse("account_reset_password"), {"email": email}, **extra)


def test_reset_answers_alike_for_known_and_unknown_addresses(client, db, django_capture_on_commit_callbacks):
    # given one address with an account and one without
    UserFactory(email="known@example.com")
    # when both ask for a reset
    with django_capture_on_commit_callbacks(execute=True):
        known = _reset(client, "known@example.com")
        unknown = _reset(client, "nobody@example.com")
    # then the answers are the same, and so is the page they lead to
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert client.get(known["Location"]).content == client.get(unknown["Location"]).content
    # and the unknown address's owner is told, in our words, that no account uses it
    to_unknown = next(m for m in mail.outbox if m.to == ["nobody@example.com"])
    assert "No account with this e-mail address" in to_unknown.subject
    assert "no account uses it" in to_unknown.body and "/accounts/signup/" in to_unknown.body
    to_known = next(m for m in mail.outbox if m.to == ["known@example.com"])
    assert "/accounts/password/reset/key/" in to_known.body


def test_reset_is_limited_per_address(client, db, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "100/m/ip,3/h/key"}
    UserFactory(email="known@example.com")
    statuses = [_reset(client, "Known@Example.com", REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(5)]
    assert statuses == [302, 302, 302, 429, 429]
    assert "Too many attempts" in _reset(client, "known@example.com").content.decode()


def test_reset_is_limited_per_client_and_a_forged_forwarded_for_does_not_help(client, db, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "5/m/ip,100/h/key"}
    statuses = [_reset(client, f"probe{n}@example.com", HTTP_X_FORWARDED_FOR=f"198.51.100.{n}").status_code
                for n in range(8)]
    assert statuses[:5] == [302] * 5 and statuses[5:] == [429] * 3
    assert Notification.objects.count() == 5  # nothing was e-mailed once limited


def test_reset_default_limits_slow_a_probe(client, db):
    statuses = [_reset(client, f"probe{n}@example.com").status_code for n in range(30)]
    assert statuses.count(302) == 5 and statuses.count(429) == 25


def test_signup_still_says_an_address_is_taken(client, db):
    UserFactory(email="taken@example.com")
    response = client.post(reverse("account_signup"), {
        "email": "taken@example.com", "password1": "a-long-passphrase-1", "password2": "a-long-passphrase-1",
        "full_name": "Someone"})
    assert "A user is already registered with this email address." in response.content.decode()
    assert not mail.outbox


def _invite(client, organisation, n):
    return client.post(reverse("invitation_create", args=[organisation.pk]),
                       {"email": f"person{n}@example.com", "role": "member"})


def test_invitations_are_limited_per_person(alice, atlantic, client_for, settings):
    settings.INVITATION_RATES_PER_USER = "3/h,10/d"
    client = client_for(alice)
    assert [_invite(client, atlantic, n).status_code for n in range(3)] == [302] * 3
    refused = _invite(client, atlantic, 4)
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "Invitations: at most 3 an hour. Try again in 60 minutes." in page and "There is a problem" in page
    assert Invitation.objects.count() == 3
    assert Notification.objects.filter(kind="organisation.invitation").count() == 3


def test_invitations_are_limited_per_organisation_across_its_admins(alice, atlantic, client_for, settings):
    settings.INVITATION_RATES_PER_ORGANISATION = "2/h"
    other_admin = MembershipFactory(organisation=atlantic, role="admin").user
    assert _invite(client_for(alice), atlantic, 1).status_code == 302
    assert _invite(client_for(other_admin), atlantic, 2).status_code == 302
    assert "Invitations from Atlantic Freight: at most 2 an hour" in _invite(
        client_for(other_admin), atlantic, 3).content.decode()


def test_an_organisation_customs_has_not_verified_has_a_low_daily_cap(client_for, db, settings):
    settings.INVITATION_RATES_UNVERIFIED = "2/d"
    newcomer = OrganisationFactory(name="Brand New Lda", identifier="PT512345678", verified_at=None)
    admin = MembershipFactory(organisation=newcomer, role="admin").user
    client = client_for(admin)
    assert [_invite(client, newcomer, n).status_code for n in range(2)] == [302, 302]
    page = _invite(client, newcomer, 3).content.decode()
    assert "Invitations from an organisation customs has not verified yet: at most 2 a day" in page
    assert Invitation.objects.filter(organisation=newcomer).count() == 2


def test_invitation_limits_hold_while_the_cache_is_down(alice, atlantic, client_for, settings):
    # given a cache that remembers nothing (what the degrading Redis cache answers in an outage)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    settings.INVITATION_RATES_PER_USER = "2/h"
    client = client_for(alice)
    assert [_invite(client, atlantic, n).status_code for n in range(3)] == [302, 302, 200]


def test_password_reset_with_the_cache_down_answers_rather_than_failing(client, db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    assert _reset(client, "someone@example.com").status_code == 302


@pytest.mark.parametrize("value", ["10/x", "ten/h", "10/h,", "", "10/h 30/d"])
def test_rates_that_cannot_be_read_stop_the_start(value, monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from portal.settings import env_rates

    monkeypatch.setenv("INVITATION_RATES_PER_USER", value)
    with pytest.raises(ImproperlyConfigured, match="INVITATION_RATES_PER_USER"):
        env_rates("INVITATION_RATES_PER_USER", "10/h")
