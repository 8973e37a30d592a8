"""Headers and details: Permissions-Policy, no server product name, plain-text subjects as written."""

from __future__ import annotations

import runpy
from pathlib import Path

import gunicorn.http.wsgi

from portal.services.notifications import notify, render_email


def test_every_page_sends_a_permissions_policy(client, db):
    for url in ("/", "/accounts/login/", "/api/v1/aeo/verify/unknown/", "/aeo/verify/%00/"):
        policy = client.get(url)["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy
        assert "publickey-credentials-get=(self)" in policy  # security keys still work for sign-in


def test_gunicorn_names_no_product_in_the_server_header(monkeypatch):
    monkeypatch.setattr(gunicorn.http.wsgi, "SERVER", "gunicorn")
    runpy.run_path(str(Path(__file__).resolve().parents[2] / "gunicorn.conf.py"))
    assert gunicorn.http.wsgi.SERVER == "portal"


def test_plain_text_subjects_are_not_html_escaped(alice):
    # given a subject with quotes, an ampersand and angle brackets, as people write them
    subject = 'Comment on "Single data set" & <low-value> parcels'
    (notification,) = notify(recipients=[alice], kind="organisation.verification", subject=subject, body="Body")
    # when the e-mail is written
    message = render_email(notification)
    # then its subject reads as written
    assert message.subject == f"[Customs-Business Portal] {subject}"
