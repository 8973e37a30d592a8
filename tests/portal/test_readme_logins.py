"""Every login README.md lists signs in with README's password and reaches the dashboard.

The list is read from README.md itself, so that the README and the demo data cannot drift apart.
"""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.management import call_command
from django.urls import reverse

from portal.management.commands.seed_demo import DEMO_TOTP_SECRET
from portal.models import Notification, User

README = Path(__file__).resolve().parents[2] / "README.md"


def readme_logins() -> tuple[str, list[str]]:
    text = README.read_text(encoding="utf-8")
    section = text.split("### Demo logins", 1)[1].split("\n## ", 1)[0]
    password = re.search(r"password \*\*`([^`]+)`\*\*", section).group(1)
    emails: list[str] = []
    for row in section.splitlines():
        cells = [cell.strip() for cell in row.strip().strip("|").split("|")]
        if len(cells) < 3 or "@" not in cells[1]:
            continue
        span = re.fullmatch(r"(\S+?)(\d+)(\.\S+) … \1(\d+)\3", cells[1])  # admin@pt502000001.example … 006
        if span:
            prefix, first, suffix, last = span.groups()
            emails += [f"{prefix}{n:0{len(first)}d}{suffix}" for n in range(int(first), int(last) + 1)]
        else:
            emails.append(cells[1])
    return password, emails


def test_the_readme_lists_every_persona():
    password, emails = readme_logins()
    assert password == "demo-portal-2026"
    assert len(emails) == 18 and "admin@pt502000007.example" in emails and "programme@customs.example" in emails


@pytest.mark.django_db
def test_every_readme_login_reaches_the_dashboard(client, django_capture_on_commit_callbacks, mailoutbox):
    # given the demo data, as `make run` seeds it
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", force=True, stdout=io.StringIO())
    # (its own history is in the portal but not e-mailed to the people in it, who do not exist)
    assert not Notification.objects.filter(email_status__in=Notification.IN_OUTBOX).exists()
    assert Notification.objects.filter(recipient__email="admin@atlantic.example", read_at__isnull=True).exists()
    assert mailoutbox == []
    password, emails = readme_logins()
    for email in emails:
        # when each signs in as the README says
        client.logout()
        response = client.post(reverse("account_login"), {"login": email, "password": password})
        assert response.status_code == 302, f"{email}: {response.content[:300]!r}"
        if User.objects.get(email=email).is_staff:
            assert response["Location"] == reverse("mfa_authenticate"), email
            code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))  # as demo_totp prints
            response = client.post(reverse("mfa_authenticate"), {"code": code})
            assert response.status_code == 302, f"{email}: second factor refused: {response.context['form'].errors}"
        # then the dashboard greets them
        dashboard = client.get(reverse("dashboard"))
        assert dashboard.status_code == 200, email
        assert User.objects.get(email=email).full_name in dashboard.content.decode(), email

