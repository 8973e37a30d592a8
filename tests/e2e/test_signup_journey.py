"""A new trader signs up, verifies the e-mail, registers the business and invites a colleague."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from portal.models import Invitation, Membership, Organisation, Role
from tests.e2e.conftest import wait_for_mail
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.e2e

PASSWORD = "Harbour-crane-2031"


def test_new_trader_signs_up_creates_organisation_and_invites_colleague(journey, mailoutbox):
    page = journey.page
    email = "ana.ribeiro@example.com"
    colleague = "rui.colleague@example.com"

    # given a visitor on the home page
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Customs and business, working together")
    journey.check("home")

    # when they sign up
    page.get_by_role("main").get_by_role("link", name="Create an account").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/$"))
    journey.check("signup")
    page.get_by_label("E-mail address", exact=True).fill(email)
    page.get_by_label("Full name", exact=True).fill("Ana Ribeiro")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password again", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create the account").click()

    # then the portal asks them to verify the address, and has e-mailed them a link
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    journey.check("verification-sent")
    mail = wait_for_mail(mailoutbox, to=email, subject_contains="Confirm")
    links = re.findall(r"https?://\S+/accounts/confirm-email/\S+/", mail.body)
    assert len(links) == 1, mail.body
    assert links[0].startswith(page.url.split("/accounts/")[0]), "the link must point at the portal they used"

    # when they open the link and confirm
    page.goto(links[0])
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your e-mail address")
    expect(page.get_by_role("main")).to_contain_text(email)
    journey.check("confirm-email")
    page.get_by_role("button", name="Confirm").click()

    # then they are signed in, on a dashboard that offers to create an organisation
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    organisation_panel = page.get_by_role("region", name="Your organisation")
    expect(organisation_panel).to_contain_text("You do not belong to an organisation yet")
    journey.check("dashboard-new-user")

    # when they register their business
    organisation_panel.get_by_role("link", name="Create an organisation").click()
    expect(page).to_have_url(re.compile(r"/organisations/new/$"))
    journey.check("organisation-form")
    page.get_by_role("radio", name="Economic operator").check()
    page.get_by_label("Name", exact=True).fill("Tejo Machinery Lda")
    page.get_by_label("Identifier", exact=True).fill("pt501234567")
    page.get_by_label("Country", exact=True).select_option(label="Portugal")
    page.get_by_label("Main industry sector").select_option(label="Machinery")
    page.get_by_label("Street and number").fill("Avenida da Liberdade 10")
    page.get_by_label("Postcode").fill("1250-096")
    page.get_by_label("Town or city").fill("Lisboa")
    page.get_by_role("button", name="Create the organisation").click()

    # then they are on its page, as its administrator
    expect(page.get_by_role("heading", level=1)).to_have_text("Tejo Machinery Lda")
    expect(page.get_by_role("status")).to_contain_text("Tejo Machinery Lda has been created")
    profile = page.get_by_role("region", name="Profile")
    expect(profile).to_contain_text("PT501234567")
    expect(profile).to_contain_text("Portugal")
    expect(profile).to_contain_text("Avenida da Liberdade 10, 1250-096 Lisboa")
    expect(page.get_by_role("table", name="Members and their roles")).to_contain_text("Administrator")
    journey.check("organisation")
    organisation = Organisation.objects.get(identifier="PT501234567", country="PT")
    assert Membership.objects.filter(organisation=organisation, user__email=email, role=Role.ADMIN).exists()

    # when they invite a colleague
    page.get_by_role("link", name="Invite a colleague").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite a colleague to Tejo Machinery Lda")
    journey.check("invitation-form")
    page.get_by_label("E-mail address").fill(colleague)
    page.get_by_role("radio", name="Member").check()
    page.get_by_role("button", name="Send the invitation").click()

    # then the invitation is listed on the organisation page, and the colleague has an e-mail with a link
    expect(page.get_by_role("status")).to_contain_text(f"An invitation has been sent to {colleague}")
    members = page.get_by_role("region", name="Members")
    expect(members.get_by_role("heading", name="Open invitations")).to_be_visible()
    expect(members.get_by_role("listitem").filter(has_text=colleague)).to_contain_text("Member, valid until")
    journey.check("organisation-with-invitation")
    invitation_mail = wait_for_mail(mailoutbox, to=colleague, subject_contains="invites you to join Tejo Machinery")
    assert re.search(r"/invitations/[\w-]+/", invitation_mail.body), invitation_mail.body
    assert Invitation.objects.filter(organisation=organisation, email=colleague, accepted_at=None).count() == 1

    # when they go to the dashboard
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()

    # then the organisation panel shows their organisation and their role
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    organisation_panel = page.get_by_role("region", name="Your organisation")
    expect(organisation_panel.get_by_role("link", name="Tejo Machinery Lda")).to_be_visible()
    expect(organisation_panel).to_contain_text("Administrator")
    expect(organisation_panel).to_contain_text("Waiting for verification")
    # the organisation switcher submits on change; its button is for browsers without scripts
    expect(page.get_by_label("Acting for")).to_have_value(str(organisation.pk))
    expect(page.get_by_role("button", name="Switch")).to_be_hidden()
    journey.check("dashboard")


def test_organisation_form_keeps_input_when_identifier_is_taken(journey):
    page = journey.page
    # given an organisation already registered in Portugal, and a signed-up user without one
    OrganisationFactory(name="Douro Logistics", identifier="PT509999990", country="PT")
    user = UserFactory(email="marta@example.com")
    journey.sign_in(user)

    # when they register a business with that identifier (typed in lower case) in Portugal
    page.goto("/organisations/new/")
    journey.check("organisation-form")
    page.get_by_role("radio", name="Economic operator").check()
    page.get_by_label("Name", exact=True).fill("Douro Freight Forwarders")
    page.get_by_label("Identifier", exact=True).fill("pt509999990")
    page.get_by_label("Country", exact=True).select_option(label="Portugal")
    page.get_by_label("Main industry sector").select_option(label="Electronics")
    page.get_by_label("Street and number").fill("Rua das Flores 5")
    page.get_by_label("Postcode").fill("4050-265")
    page.get_by_label("Town or city").fill("Porto")
    page.get_by_role("button", name="Create the organisation").click()

    # then the form comes back with a summary that links to the field, and the error next to it
    message = "An organisation with this identifier is already registered in this country."
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name=re.compile(re.escape(message)))).to_have_attribute(
        "href", "#id_identifier")
    expect(page.locator("#id_identifier_error")).to_contain_text(message)
    expect(page.locator("#id_identifier_error")).to_contain_text("ask one of its administrators to invite you")
    identifier = page.get_by_label("Identifier", exact=True)
    expect(identifier).to_have_attribute("aria-invalid", "true")
    expect(identifier).to_have_attribute("aria-describedby", re.compile(r"\bid_identifier_error\b"))
    journey.check("organisation-form-error")

    # and everything else they typed is still there
    expect(page.get_by_role("radio", name="Economic operator")).to_be_checked()
    expect(page.get_by_label("Name", exact=True)).to_have_value("Douro Freight Forwarders")
    expect(identifier).to_have_value("pt509999990")
    expect(page.get_by_label("Country", exact=True)).to_have_value("PT")
    expect(page.get_by_label("Main industry sector")).to_have_value("electronics")
    expect(page.get_by_label("Street and number")).to_have_value("Rua das Flores 5")
    expect(page.get_by_label("Postcode")).to_have_value("4050-265")
    expect(page.get_by_label("Town or city")).to_have_value("Porto")
    assert Organisation.objects.count() == 1
    assert not Membership.objects.filter(user=user).exists()


def test_axe_check_fails_the_test_on_a_serious_violation(journey):
    # The gate every page above goes through must be able to fail: an image with no text alternative
    # is axe's "image-alt", impact critical.
    page = journey.page
    page.goto("/")
    page.locator("main").evaluate("main => main.insertAdjacentHTML('beforeend', '<img src=\"/static/img/logo.svg\">')")
    with pytest.raises(pytest.fail.Exception, match=r"image-alt \(critical\)[\s\S]*at #main > img"):
        journey.check("home-with-unlabelled-image")
