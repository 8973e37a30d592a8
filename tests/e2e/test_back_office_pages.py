"""axe-core on the back-office pages the journeys do not reach (training authoring, the report queue), with no
console errors (the CSP's refusals among them), and on the pages a public service must have. (The queue, the
case page and the action pages are audited in test_aeo_review_journey.)"""

from __future__ import annotations

import re
import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from consultations.models import Report
from portal.roles import StaffGroup
from tests.consultations.factories import CommentFactory
from tests.factories import UserFactory
from tests.training.factories import full_course

pytestmark = pytest.mark.e2e
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
LEGAL_PAGES = ["/about/", "/privacy/", "/cookies/", "/accessibility/", "/terms/", "/contact/"]


def _staff(email: str, *groups: StaffGroup):
    user = UserFactory(email=email, full_name=email.split("@")[0].title(), is_staff=True)
    user.groups.add(*Group.objects.filter(name__in=[g.value for g in groups]))
    TOTP.activate(user, SECRET)
    return user


def _sign_in_to_back_office(journey, user) -> None:
    page = journey.page
    page.goto("/admin/")
    journey.check("sign-in")
    page.get_by_label("E-mail address", exact=True).fill(user.email)
    page.get_by_label("Password", exact=True).fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    journey.check("two-factor")
    page.get_by_label("Code", exact=True).fill(format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    journey.check("admin-home")


def test_legal_pages_pass_axe(journey):
    for path in LEGAL_PAGES:
        journey.page.goto(path)
        journey.check(path.strip("/"))


def test_training_authoring_and_report_queue_pass_axe(journey):
    course = full_course(slug="hs-machinery", title="Classifying machinery", questions=3)
    quiz = course.quizzes.get()
    question = quiz.questions.first()
    comment = CommentFactory(body="Cheap watches, click here")
    Report.objects.create(comment=comment, reporter=UserFactory(email="reader@example.org"), reason="Spam")
    author = _staff("author@customs.example", StaffGroup.TRAINING_AUTHOR, StaffGroup.CONSULTATION_MODERATOR)
    # What the CSP refuses on a page (an inline style or script in its markup or its files) is reported here. A
    # message from no URL is axe-core's, injected by the test, which styles elements to measure them.
    console_errors: list[str] = []
    journey.page.on("console", lambda message: console_errors.append(f"{journey.page.url}: {message.text}")
                    if message.type == "error" and message.location.get("url") else None)
    _sign_in_to_back_office(journey, author)
    page = journey.page
    page.goto(f"/admin/training/course/{course.pk}/change/")
    journey.check("course-change")
    page.goto(f"/admin/training/quiz/{quiz.pk}/change/")
    journey.check("quiz-change")
    page.goto(f"/admin/training/question/{question.pk}/change/")
    journey.check("question-change")
    page.goto("/admin/consultations/report/")
    journey.check("report-queue")
    assert console_errors == []


def test_risk_calibration_and_post_grant_monitoring_pass_axe(journey):
    from datetime import timedelta

    from django.utils import timezone

    from aeo import services
    from aeo.models import Authorisation
    from aeo.services.monitoring import monitoring_visit_plan
    from portal.models import Role
    from tests.aeo.conftest import answer_all
    from tests.factories import MembershipFactory, OrganisationFactory

    # given a granted authorisation with a visit planned, and an officer who reviews and calibrates
    holder = MembershipFactory(user=UserFactory(email="holder@atlantic.example"), role=Role.ADMIN,
                               organisation=OrganisationFactory(name="Atlantic Freight")).user
    officer = _staff("programme@customs.example", StaffGroup.PROGRAMME_ADMINISTRATOR, StaffGroup.AEO_REVIEWER)
    proposer = _staff("proposer@customs.example", StaffGroup.AEO_SUPERVISOR)
    supervisor = _staff("supervisor@customs.example", StaffGroup.AEO_SUPERVISOR)
    application = services.application_start(actor=holder, organisation=holder.memberships.get().organisation,
                                             kind="AEOC")
    answer_all(application, holder)
    services.application_submit(actor=holder, application=application, signatory_name="Holder",
                                signatory_position="Director", confirmed=True)
    services.application_screen(application_id=application.pk)
    services.application_accept(actor=officer, application=application)
    services.grant_propose(actor=proposer, application=application, kind="AEOC", note="All met.")
    services.decision_approve(actor=supervisor, application=application, note="Agreed.")
    authorisation = Authorisation.objects.get(application=application)
    monitoring_visit_plan(actor=officer, authorisation=authorisation, location="Main warehouse",
                          planned_for=timezone.localdate() + timedelta(days=20), officer_role="team")
    # then the calibration page, the authorisation page and its monitoring forms pass axe
    _sign_in_to_back_office(journey, officer)
    page = journey.page
    page.goto("/admin/aeo/riskmodel/calibration/")
    expect(page.get_by_role("img", name=re.compile("Cases per risk band"))).to_be_visible()
    journey.check("risk-calibration")
    page.goto(f"/admin/aeo/authorisation/{authorisation.pk}/change/")
    expect(page.get_by_role("main")).to_contain_text("findings still to be recorded")
    journey.check("authorisation")
    for action in ("plan_visit", "review"):
        page.goto(f"/admin/aeo/authorisation/{authorisation.pk}/act/{action}/")
        journey.check(f"authorisation-{action}")
