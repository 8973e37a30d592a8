"""The outcome report's statistics, checked against figures worked out by hand."""

from __future__ import annotations

import pytest
from django.urls import reverse

from aeo.models import Application, Authorisation, Questionnaire
from consultations import selectors, services
from consultations.models import Phase
from portal.models import Organisation, Role
from tests.consultations.factories import CommentFactory, OfficialResponseFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def participants(open_consultation):
    """Three operators (PT machinery AEO, PT pharma, ES machinery AEO), one association, one individual."""
    pt_machinery = OrganisationFactory(name="Porto Machines", country="PT", sector="machinery")
    pt_pharma = OrganisationFactory(name="Lisbon Pharma", country="PT", sector="pharma")
    es_machinery = OrganisationFactory(name="Bilbao Maquinas", country="ES", sector="machinery")
    association = OrganisationFactory(name="Spanish Importers", country="ES", kind=Organisation.Kind.ASSOCIATION,
                                      sector="")
    people = {}
    for key, organisation in [("p1", pt_machinery), ("p2", pt_machinery), ("ph", pt_pharma), ("es", es_machinery),
                              ("as", association)]:
        people[key] = MembershipFactory(organisation=organisation, role=Role.MEMBER, user=UserFactory()).user
    people["solo"] = UserFactory()
    c = open_consultation
    comments = [
        CommentFactory(consultation=c, author=people["p1"], organisation=pt_machinery, on_behalf=True),
        CommentFactory(consultation=c, author=people["p2"], organisation=pt_machinery),
        CommentFactory(consultation=c, author=people["ph"], organisation=pt_pharma),
        CommentFactory(consultation=c, author=people["es"], organisation=es_machinery, on_behalf=True),
        CommentFactory(consultation=c, author=people["es"], organisation=es_machinery),
        CommentFactory(consultation=c, author=people["as"], organisation=association, on_behalf=True),
        CommentFactory(consultation=c, author=people["solo"]),
    ]
    # removed and hidden comments do not count
    CommentFactory(consultation=c, author=people["ph"], organisation=pt_pharma, deleted_at=c.created_at)
    CommentFactory(consultation=c, author=UserFactory(), hidden_at=c.created_at, hidden_reason="Spam")
    OfficialResponseFactory(comment=comments[0], disposition="accepted")
    OfficialResponseFactory(comment=comments[3], disposition="not_accepted")
    OfficialResponseFactory(comment=comments[5], disposition="accepted")
    # the two machinery operators hold AEO authorisations; a suspended one does not count
    for organisation, status in [(pt_machinery, "active"), (es_machinery, "active"), (pt_pharma, "suspended")]:
        _authorisation(organisation, status)
    return {"holders": {pt_machinery.pk, es_machinery.pk}, "comments": comments}


def _authorisation(organisation, status: str) -> Authorisation:
    holder = MembershipFactory(organisation=organisation, role=Role.ADMIN, user=UserFactory()).user
    application = Application.objects.create(organisation=organisation, kind="AEOS", state="granted",
                                             questionnaire=Questionnaire.objects.get(version=1), created_by=holder)
    return Authorisation.objects.create(application=application, organisation=organisation, kind="AEOS",
                                        status=status, number=f"{organisation.country}AEOS{application.pk:06d}",
                                        valid_from=application.created_at.date(), granted_by=holder)


def _by(rows, column):
    return {row[column]: (row["organisations"], row["people"], row["comments"]) for row in rows}


def test_statistics_match_a_hand_count(open_consultation, participants):
    stats = selectors.participation_statistics(open_consultation)
    # 7 live comments, from 6 people, in 4 organisations (the individual has none)
    assert stats.totals == {"comments": 7, "people": 6, "organisations": 4, "answered": 3}
    # (organisations, people, comments)
    assert _by(stats.by_kind, "organisation__kind") == {
        "operator": (3, 4, 5), "association": (1, 1, 1), None: (0, 1, 1)}
    assert _by(stats.by_country, "organisation__country") == {"PT": (2, 3, 3), "ES": (2, 2, 3), None: (0, 1, 1)}
    assert _by(stats.by_sector, "organisation__sector") == {
        "machinery": (2, 3, 4), "pharma": (1, 1, 1), "": (1, 1, 1), None: (0, 1, 1)}
    assert _by(stats.by_aeo, "aeo") == {True: (2, 3, 4), False: (2, 2, 2)}
    assert {r["official_response__disposition"]: r["comments"] for r in stats.by_disposition} == {
        "accepted": 2, "not_accepted": 1, None: 4}


def test_report_page_and_exports(open_consultation, participants, member_of_association, customs_officer, alice,
                                 client_for, client):
    services.consultation_close(actor=member_of_association, consultation=open_consultation)
    url = reverse("consultations:report", args=[open_consultation.pk])
    assert client.get(url).status_code == 404  # not public before the outcome
    assert client_for(customs_officer).get(url).status_code == 200  # customs previews it
    services.outcome_publish(actor=customs_officer, consultation=open_consultation, summary="Adopted with changes.")
    open_consultation.refresh_from_db()
    assert open_consultation.phase == Phase.OUTCOME_PUBLISHED
    page = client.get(url).content.decode()
    assert "Adopted with changes." in page and "Hidden by a moderator: Spam" in page
    assert page.count("No response") == 4 + 2  # the live unanswered ones, plus the removed and hidden
    data = client_for(member_of_association).get(reverse("consultations:export_json",
                                                         args=[open_consultation.pk])).json()
    assert len(data["comments"]) == 9
    assert [c["disposition"] for c in data["comments"]].count("accepted") == 2


def test_aeo_status_read_from_authorisations(open_consultation, participants):
    # once their authorisations are revoked, every participating organisation counts as without AEO status
    Authorisation.objects.update(status="revoked")
    stats = selectors.participation_statistics(open_consultation)
    assert _by(stats.by_aeo, "aeo") == {False: (4, 5, 6)}
