"""An association consults, a trader comments with a position paper, customs answers officially, the
consultation closes and its outcome is published."""

from __future__ import annotations

import re
import time
from datetime import timedelta

import pytest
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Comment, Consultation, Phase
from consultations.services import consultations_close_due
from portal.models import Organisation, Role
from tests import documents
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "correct-horse-battery"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PDF = documents.PDF


def _sign_in(journey, email: str, *, code: bool = False) -> None:
    page = journey.page
    page.context.clear_cookies()
    page.goto("/accounts/login/?next=/consultations/")
    journey.check(f"sign-in-{email.split('@')[0]}")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if code:  # staff powers need the second factor
        journey.check(f"two-factor-{email.split('@')[0]}")
        page.get_by_label("Code", exact=True).fill(format_hotp_value(hotp_value(SECRET, int(time.time()) // 30)))
        page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    journey.check(f"signed-in-{email.split('@')[0]}")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_consultation_from_proposal_to_outcome(journey):
    page = journey.page
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Association of Importers",
                                      sector="")
    trader_org = OrganisationFactory(name="Atlantic Freight")
    customs = OrganisationFactory(kind=Organisation.Kind.CUSTOMS, name="National Customs", sector="")
    MembershipFactory(user=UserFactory(email="eva@association.example", full_name="Eva Santos"),
                      organisation=association, role=Role.ADMIN)
    MembershipFactory(user=UserFactory(email="ana@atlantic.example", full_name="Ana Ferreira"),
                      organisation=trader_org, role=Role.ADMIN)
    olga = UserFactory(email="olga@customs.example", full_name="Olga Officer", is_staff=True)
    TOTP.activate(olga, SECRET)
    MembershipFactory(user=olga, organisation=customs, role=Role.MEMBER)

    # given an association member who starts a consultation
    _sign_in(journey, "eva@association.example")
    page.goto("/consultations/")
    journey.check("list-empty")
    page.get_by_role("link", name="Start a consultation").click()
    journey.check("new-consultation")
    page.get_by_label("Title").fill("Single data set for low-value parcels")
    page.get_by_label("Summary").fill("One data set, filed once, for parcels under 150 euros.")
    page.get_by_label("Proposal").fill("## As is\n\nThree systems.\n\n## To be\n\nOne data set.")
    page.get_by_label("E-commerce").check()
    closes = timezone.localtime(timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    page.get_by_label("Closes").fill(closes)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single data set for low-value parcels")
    expect(page.get_by_text("This is a draft.")).to_be_visible()
    journey.check("draft")
    # when it is published
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Open for comments").first).to_be_visible()
    journey.check("published")
    consultation = Consultation.objects.get()
    assert consultation.phase == Phase.OPEN

    # then a trader comments on behalf of the company, with a position paper
    _sign_in(journey, "ana@atlantic.example")
    page.goto(f"/consultations/{consultation.pk}/")
    journey.check("trader-reads")
    page.get_by_role("textbox", name="Your comment").fill(
        "We support it, with a **twelve-month** transition for carriers.")
    page.get_by_label("Post on behalf of Atlantic Freight").check()
    page.get_by_label("Position paper").set_input_files(
        files=[{"name": "atlantic-position.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    page.get_by_role("button", name="Post the comment").click()
    expect(page.get_by_text("Your comment has been posted")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("atlantic-position.pdf"))).to_be_visible()
    journey.check("commented")
    comment = Comment.objects.get()
    assert comment.on_behalf and comment.position_paper.original_name == "atlantic-position.pdf"

    # and customs responds officially
    _sign_in(journey, "olga@customs.example", code=True)
    page.goto(f"/consultations/{consultation.pk}/")
    journey.check("customs-reads")
    page.get_by_role("link", name="Respond officially", exact=True).click()
    journey.check("response-form")
    page.get_by_label("Partly accepted").check()
    page.get_by_label("Reasoning").fill("Six months, not twelve: the systems exist already.")
    page.get_by_role("button", name="Publish the official response").click()
    answer = page.locator(f"#comment-{comment.pk}").get_by_role("complementary", name="Official response")
    expect(answer).to_contain_text("Partly accepted")
    journey.check("responded")
    comment.refresh_from_db()
    assert comment.official_response.disposition == "partly_accepted"

    # when the consultation closes on its date (the periodic job)
    assert consultations_close_due(now=timezone.now() + timedelta(days=31)) == 1

    # then the association publishes the outcome, and the report shows the answer
    _sign_in(journey, "eva@association.example")
    page.goto(f"/consultations/{consultation.pk}/")
    journey.check("closed")
    page.get_by_role("link", name="Publish the outcome").click()
    journey.check("outcome-form")
    page.get_by_label("Outcome").fill("Adopted with a six-month transition, from 1 July.")
    page.get_by_role("button", name="Publish the outcome").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Single data set for low-value parcels")
    expect(page.get_by_role("main")).to_contain_text("Six months, not twelve")
    journey.check("outcome-report")
    consultation.refresh_from_db()
    assert consultation.phase == Phase.OUTCOME_PUBLISHED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_visitor_finds_a_consultation_and_a_trader_joins_the_discussion(journey):
    from consultations import services
    from tests.consultations.factories import ConsultationFactory

    page = journey.page
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Association of Importers",
                                      sector="")
    eva = MembershipFactory(user=UserFactory(email="eva@association.example", full_name="Eva Santos"),
                            organisation=association, role=Role.ADMIN).user
    trader_org = OrganisationFactory(name="Atlantic Freight")
    MembershipFactory(user=UserFactory(email="ana@atlantic.example", full_name="Ana Ferreira"),
                      organisation=trader_org, role=Role.ADMIN)
    consultation = ConsultationFactory(organisation=association, created_by=eva,
                                       title="Customs valuation of royalties and licence fees",
                                       summary="When royalties are added to the transaction value.")
    ConsultationFactory(organisation=association, created_by=eva, title="Transit guarantees")
    first = services.comment_post(actor=eva, consultation=consultation, body="Please add software examples.")
    services.comment_edit(actor=eva, comment=first, body="Please add examples for embedded software.")

    # given a visitor who is not signed in, searching the list
    page.goto("/consultations/")
    journey.check("list")
    page.get_by_label("Search").fill("royalty")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("heading", name="1 consultation")).to_be_visible()
    journey.check("search-results")
    page.get_by_role("link", name="Customs valuation of royalties and licence fees").click()
    expect(page.get_by_role("link", name="Sign in to comment")).to_be_visible()
    journey.check("public-thread")
    page.get_by_role("link", name=re.compile("edited")).click()
    expect(page.get_by_role("main")).to_contain_text("Please add software examples.")
    journey.check("history")

    # when a trader signs in, replies and supports the comment
    _sign_in(journey, "ana@atlantic.example")
    page.goto(f"/consultations/{consultation.pk}/")
    journey.check("thread-signed-in")
    page.get_by_role("link", name=re.compile("^Reply")).click()
    journey.check("reply-form")
    page.get_by_role("textbox", name="Your reply").fill("We agree; machinery firmware is the typical case.")
    page.get_by_role("button", name="Post the reply").click()
    journey.check("replied")
    page.get_by_role("button", name=re.compile("^Support comment by Eva")).click()
    expect(page.get_by_text("You support this comment.")).to_be_visible()
    journey.check("supported")
    # and reports nothing wrong, but opens the report form to see what it asks
    page.get_by_role("link", name=re.compile("^Report comment by Eva")).click()
    journey.check("report-form")

    # then the reply sits under the comment and the author was told
    reply = Comment.objects.get(parent=first)
    assert reply.depth == 2
    assert first.author.notifications.filter(kind="consultations.reply").count() == 1
