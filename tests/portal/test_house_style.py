"""One way to write dates, and allauth's pages and e-mails in the portal's words."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template
from django.urls import reverse


def test_dates_read_one_way_everywhere(db):
    rendered = Template('{% load portal_format %}{{ d }}|{{ d|date }}|{{ "2026-03-31"|iso_date }}').render(
        Context({"d": date(2026, 12, 1)}))
    assert rendered == "1 December 2026|1 December 2026|31 March 2026"


def test_sign_in_speaks_in_sentence_case(client, db):
    html = client.get(reverse("account_login")).content.decode()
    assert "<h1>Sign in</h1>" in html and "Keep me signed in on this device" in html
    assert "Sign In" not in html and "Remember Me" not in html


def test_the_confirmation_email_is_in_our_words(client, db, django_capture_on_commit_callbacks, mailoutbox):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), {
            "email": "new@example.org", "full_name": "Nuno Dias",
            "password1": "a-long-enough-pass-1", "password2": "a-long-enough-pass-1"})
    mail = mailoutbox[-1]
    assert mail.subject == "[Customs-Business Portal] Confirm your e-mail address"
    assert mail.body.startswith("Hello,") and "Hello from" not in mail.body and "Thank you for using" not in mail.body
    assert "/accounts/confirm-email/" in mail.body
