"""Sign-up, e-mail verification and account e-mails through the outbox."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Notification, User
from tests.factories import UserFactory

SIGNUP = {"email": "new.trader@example.com", "full_name": "Nuno Trader",
          "password1": "a-long-pass-phrase-2026", "password2": "a-long-pass-phrase-2026"}


def test_signup_needs_email_verification_sent_through_the_outbox(client, db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.trader@example.com")
    assert user.full_name == "Nuno Trader"
    notification = Notification.objects.get(kind="account")
    assert notification.recipient is None and notification.email == "new.trader@example.com"
    assert notification.email_status == Notification.EmailStatus.SENT
    [message] = mail.outbox
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    # not signed in until the address is confirmed
    assert client.get(reverse("dashboard")).status_code == 302
    path = link.split("testserver")[-1]
    response = client.post(path)
    assert response.status_code == 302
    assert client.get(reverse("dashboard")).status_code == 200


def test_taken_email_is_refused_with_a_message_and_the_form_kept(client, db):
    UserFactory(email="taken@example.com")
    response = client.post(reverse("account_signup"), {**SIGNUP, "email": "Taken@Example.com"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "A user is already registered with this email address." in page
    assert "There is a problem" in page
    assert 'value="Nuno Trader"' in page
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_signup_asks_for_a_name(client, db):
    response = client.post(reverse("account_signup"), {**SIGNUP, "full_name": ""})
    assert "Enter your full name." in response.content.decode()


def test_password_reset_email_goes_through_the_outbox(client, db, django_capture_on_commit_callbacks):
    UserFactory(email="forgetful@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": "forgetful@example.com"})
    assert Notification.objects.get(kind="account").email == "forgetful@example.com"
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_account_pages_use_the_portal_layout(client, db, url_name):
    page = client.get(reverse(url_name)).content.decode()
    assert 'class="skip-link"' in page
    assert "css/portal.css" in page
    # labels and hints say what a field is for; no placeholder repeats them in other words
    assert "placeholder=" not in page
    assert "E-mail address" in page


def test_user_sees_and_ends_other_sessions(alice, client_for, client):
    from django.test import Client

    laptop, phone = client_for(alice), Client()
    phone.force_login(alice)
    laptop.get(reverse("dashboard"))
    phone.get(reverse("dashboard"))
    response = laptop.get(reverse("usersessions_list"))
    assert response.status_code == 200
    assert len(response.context["sessions"]) == 2
    laptop.post(reverse("usersessions_list"))  # "sign out other sessions"
    assert phone.get(reverse("dashboard")).status_code == 302
    assert laptop.get(reverse("dashboard")).status_code == 200
