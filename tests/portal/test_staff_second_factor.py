"""Every staff power needs a session that passed a second factor, on every path: pages, back office, API.

The routes come from the URLconf and the API schema, not from a list: each is requested as an officer who
holds every staff role, signed in with and without the second factor, and as a trader. A route that answers
the officer with the second factor but not the trader needs a staff role; without the second factor the
officer must then be refused or sent to confirm it, like the trader.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from portal.models import Organisation, Role
from portal.roles import StaffGroup
from tests.conftest import record_second_factor
from tests.consultations.factories import CommentFactory, ConsultationFactory, OfficialResponseFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.portal.test_hostile_input import ROUTES

PARAMETER = re.compile(r"\{[^}]*\}")
OK = range(200, 300)


def _officer():
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    officer = UserFactory(email="officer@customs.example", is_staff=True)
    officer.groups.set(Group.objects.filter(name__in=StaffGroup.values))
    TOTP.activate(officer, generate_totp_secret())
    customs = OrganisationFactory(kind=Organisation.Kind.CUSTOMS, name="National Customs", identifier="NCA-1",
                                  sector="")
    MembershipFactory(user=officer, organisation=customs, role=Role.MEMBER)
    return officer


def _world(officer, trader):
    """One of each thing the routes name, with the primary key 1 (the sequences start again for this test)."""
    from aeo import services as aeo
    from tests.aeo.conftest import answer_all
    from tests.training.factories import CourseFactory, LessonFactory, ModuleFactory

    organisation = trader.memberships.get().organisation
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Importers", identifier="AS-1")
    MembershipFactory(user=UserFactory(email="eva@association.example"), organisation=association)
    consultation = ConsultationFactory(organisation=association, created_by=association.memberships.get().user)
    comment = CommentFactory(consultation=consultation, author=trader)
    OfficialResponseFactory(comment=comment, author=officer)
    application = aeo.application_start(actor=trader, organisation=organisation, kind="AEOC")
    answer_all(application, trader)
    aeo.application_submit(actor=trader, application=application, signatory_name="T", signatory_position="CEO",
                           confirmed=True)
    LessonFactory(module=ModuleFactory(course=CourseFactory()))


def _clients(officer, trader) -> dict[str, Client]:
    with_factor, without, as_trader = Client(), Client(), Client()
    with_factor.force_login(officer)
    record_second_factor(with_factor, officer)
    without.force_login(officer)
    as_trader.force_login(trader)
    return {"with": with_factor, "without": without, "trader": as_trader}


def _page_routes() -> list[str]:
    return ["/" + route.format(*["1"] * count) for route, count in ROUTES
            if not route.startswith(("admin/", "api/", "accounts/", "static/"))]


def _api_routes() -> list[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return [(method.upper(), PARAMETER.sub("1", path)) for path, operations in schema["paths"].items()
            for method in operations if method in ("get", "post", "patch", "put", "delete")]


def _refused(response) -> bool:
    return response.status_code not in OK and not (
        response.status_code == 302 and not response["Location"].startswith(("/accounts/", "/admin/login")))


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_no_staff_power_without_a_second_factor(alice):
    officer = _officer()
    _world(officer, alice)
    clients = _clients(officer, alice)
    staff_only, leaks = [], []
    for url in _page_routes():
        for method in ("get", "post"):
            answers = {name: getattr(client, method)(url) for name, client in clients.items()}
            if answers["with"].status_code in OK and answers["trader"].status_code not in OK:
                staff_only.append(f"{method.upper()} {url}")
                if answers["without"].status_code in OK:
                    leaks.append(f"{method.upper()} {url}")
    for method, url in _api_routes():
        call = getattr(clients["with"], method.lower())
        if call(url).status_code in OK and getattr(clients["trader"], method.lower())(url).status_code not in OK:
            staff_only.append(f"{method} {url} (API)")
            if getattr(clients["without"], method.lower())(url).status_code in OK:
                leaks.append(f"{method} {url} (API)")
    print(f"\n{len(staff_only)} staff-only routes found; without a second factor, {len(leaks)} answered")
    assert leaks == [], leaks
    # the walk found the staff powers the pages hold (an official response form, the outcome and the export)
    assert any("/respond/" in route for route in staff_only), staff_only
    assert len(staff_only) >= 5, staff_only


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_back_office_sends_a_session_without_the_second_factor_to_confirm_it(alice):
    officer = _officer()
    clients = _clients(officer, alice)
    admin_routes = ["/" + route.format(*["1"] * count) for route, count in ROUTES
                    if route.startswith("admin/") and not route.startswith(("admin/login", "admin/logout"))]
    assert len(admin_routes) > 30
    for url in admin_routes:
        response = clients["without"].get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("mfa_reauthenticate")), url
    assert clients["with"].get(reverse("admin:index")).status_code == 200


def age_the_sign_in(client: Client, seconds: float) -> None:
    """Make the session's sign-in look `seconds` older than it is."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    session = client.session
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {**record, "at": record["at"] - seconds} for record in session[AUTHENTICATION_METHODS_SESSION_KEY]]
    session.save()


@pytest.mark.django_db
def test_granting_a_role_on_an_old_sign_in_asks_to_confirm_it_first(programme_admin, client_for, settings):
    officer = UserFactory(email="new@customs.example", is_staff=True)
    client = client_for(programme_admin)
    age_the_sign_in(client, settings.STAFF_REAUTHENTICATION_SECONDS + 60)
    response = client.post(reverse("admin:portal_user_change", args=[officer.pk]), {
        "full_name": officer.full_name, "is_active": "on", "is_staff": "on",
        "groups": [Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value).pk]})
    assert response.status_code == 302 and "/reauthenticate/" in response["Location"]
    assert not officer.groups.exists()
