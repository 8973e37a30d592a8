"""The reviewer accepts and proposes a grant in the back office, a supervisor approves, the trader downloads
the certificate."""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from aeo import services
from aeo.models import Application, Authorisation
from portal.models import Role
from portal.roles import StaffGroup
from tests.aeo.conftest import answer_all
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def _staff(email: str, group: StaffGroup):
    user = UserFactory(email=email, full_name=email.split("@")[0].title(), is_staff=True)
    user.groups.add(Group.objects.get(name=group.value))
    TOTP.activate(user, SECRET)
    return user


def _sign_in(journey, user, *, code: bool) -> None:
    page = journey.page
    page.goto("/admin/" if code else "/accounts/login/")
    journey.check(f"sign-in-{user.email.split('@')[0]}")
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    if code:
        journey.check(f"two-factor-{user.email.split('@')[0]}")
        page.get_by_label("Code", exact=True).fill(format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Continue").click()


def _sign_out(page) -> None:
    page.context.clear_cookies()


def test_reviewer_and_supervisor_grant_and_trader_downloads_certificate(journey, tmp_path,
                                                                       django_capture_on_commit_callbacks):
    page = journey.page
    reviewer = _staff("filipe@customs.example", StaffGroup.AEO_REVIEWER)
    supervisor = _staff("graca@customs.example", StaffGroup.AEO_SUPERVISOR)
    organisation = OrganisationFactory(name="Tejo Machinery Lda", identifier="PT501234567")
    trader = UserFactory(email="ana@tejo.example", full_name="Ana Ribeiro")
    MembershipFactory(user=trader, organisation=organisation, role=Role.ADMIN)
    application = services.application_start(actor=trader, organisation=organisation, kind="AEOC")
    answer_all(application, trader)
    services.application_submit(actor=trader, application=application, signatory_name="Ana Ribeiro",
                                signatory_position="Director", confirmed=True)
    services.application_screen(application_id=application.pk)
    application.refresh_from_db()

    # the reviewer signs in with the second factor and finds the case in the queue
    _sign_in(journey, reviewer, code=True)
    expect(page.get_by_role("heading", name="Work queues")).to_be_visible()
    journey.check("admin-home-reviewer")
    page.goto("/admin/aeo/application/?assigned=me")
    journey.check("queue")
    page.get_by_role("link", name=application.reference).click()
    expect(page.get_by_role("heading", name="Decision box")).to_be_visible()
    journey.check("case-submitted")

    # accepts it
    page.get_by_role("link", name="Accept the application").click()
    journey.check("accept-confirmation")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Done: Accept the application.")).to_be_visible()
    journey.check("case-accepted")

    # and proposes to grant
    page.get_by_role("link", name="Propose to grant").click()
    journey.check("propose-grant")
    page.get_by_label("Type to grant").select_option("AEOC")
    page.get_by_label("Summary of the examination").fill("Records, solvency and competence are all in order.")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("proposes: Grant")).to_be_visible()
    journey.check("case-proposed")
    _sign_out(page)

    # the supervisor approves
    _sign_in(journey, supervisor, code=True)
    journey.check("admin-home-supervisor")
    page.goto(f"/admin/aeo/application/{application.pk}/change/")
    journey.check("case-to-approve")
    page.get_by_role("link", name="Approve the proposed decision").click()
    journey.check("approve-confirmation")
    with django_capture_on_commit_callbacks(execute=True):
        page.get_by_role("button", name="Confirm").click()
        expect(page.get_by_text("Done: Approve the proposed decision.")).to_be_visible()
    journey.check("case-granted")
    authorisation = Authorisation.objects.get(application=application)
    assert Application.objects.get(pk=application.pk).state == "granted"
    _sign_out(page)

    # the trader sees the authorisation and downloads the certificate
    _sign_in(journey, trader, code=False)
    journey.check("trader-dashboard")
    page.goto(f"/aeo/applications/{application.pk}/status/")
    expect(page.get_by_role("region", name="Your authorisation")).to_contain_text(authorisation.number)
    journey.check("trader-status-granted")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the certificate (PDF)").click()
    target = tmp_path / "certificate.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    page.get_by_role("link", name="Verification page").click()
    expect(page.get_by_role("heading", name="Valid")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text(re.escape(authorisation.number).replace("\\", ""))
    journey.check("verification")
