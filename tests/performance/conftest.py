from __future__ import annotations

from datetime import date

import pytest

from aeo.models import Application
from portal.models import Organisation, Sector
from portal.performance.snapshots import snapshots_backfill
from tests.factories import OrganisationFactory, UserFactory
from tests.performance.history import application, at, authorisation, event

PERIOD = {"period": "custom", "start": "2026-01-01", "end": "2026-09-30"}


@pytest.fixture
def traders(db) -> list[Organisation]:
    return [
        OrganisationFactory(name="Alpha Pharma Exports SA", identifier="PT599000001", country="PT",
                            sector=Sector.PHARMA),
        OrganisationFactory(name="Bravo Electronique SARL", identifier="FR599000002", country="FR",
                            sector=Sector.ELECTRONICS),
        OrganisationFactory(name="Charlie Maquinaria SL", identifier="ES599000003", country="ES",
                            sector=Sector.MACHINERY),
    ]


@pytest.fixture
def aeo_history(traders):
    """Seven applications of 2026 whose figures tests/performance/test_aeo_indicators.py counts by hand."""
    a, b, c = traders
    user = UserFactory(email="applicant@example.com")
    # 1: accepted after 10 days, granted 100 days after acceptance
    app1 = application(a, "AEOC", user, created="2026-02-20", state="granted")
    event(app1, "submit", "2026-03-02"), event(app1, "accept", "2026-03-12")
    event(app1, "propose_grant", "2026-06-15"), event(app1, "approve_grant", "2026-06-20")
    authorisation(app1, user, number="PTAEOC0001", valid_from=date(2026, 6, 20))
    # 2: returned, submitted again, accepted late (41 days), one information request answered in 10 days,
    # the decision deadline extended by 30 days, a hearing, rejected 127 days after acceptance (within 150)
    app2 = application(b, "AEOS", user, created="2026-02-25", state="rejected")
    event(app2, "submit", "2026-03-01"), event(app2, "return", "2026-03-05"), event(app2, "submit", "2026-03-10")
    event(app2, "accept", "2026-04-20"), event(app2, "request_information", "2026-05-01")
    event(app2, "respond", "2026-05-11")
    event(app2, "deadline_extended", "2026-07-01", data={"days": 30, "reason": "site visit"})
    event(app2, "propose_rejection", "2026-08-01"), event(app2, "hearing_reply", "2026-08-10")
    event(app2, "confirm_rejection", "2026-08-20"), event(app2, "approve_rejection", "2026-08-25")
    # 3: withdrawn before acceptance
    app3 = application(c, "AEOF", user, created="2026-03-25", state="withdrawn")
    event(app3, "submit", "2026-04-01"), event(app3, "withdraw", "2026-04-15", from_state="submitted",
                                               to_state="withdrawn")
    # 4: accepted after 19 days, still under review at the end of the period
    app4 = application(b, "AEOC", user, created="2026-04-25", state="under_review")
    event(app4, "submit", "2026-05-01"), event(app4, "accept", "2026-05-20")
    Application.objects.filter(pk=app4.pk).update(submitted_at=at("2026-05-01"))
    # 5: a draft withdrawn without ever being submitted: not counted
    app5 = application(a, "AEOS", user, created="2026-05-01", state="withdrawn")
    event(app5, "withdraw", "2026-05-05", from_state="draft", to_state="withdrawn")
    # 6: submitted, waiting for acceptance at the end of the period
    app6 = application(c, "AEOC", user, created="2026-05-28", state="submitted")
    event(app6, "submit", "2026-06-01")
    Application.objects.filter(pk=app6.pk).update(submitted_at=at("2026-06-01"))
    # 7: accepted after 15 days, granted 176 days after acceptance (late), then suspended
    app7 = application(c, "AEOS", user, created="2026-01-02", state="granted")
    event(app7, "submit", "2026-01-05"), event(app7, "accept", "2026-01-20")
    event(app7, "propose_grant", "2026-07-10"), event(app7, "approve_grant", "2026-07-15")
    authorisation(app7, user, number="ESAEOS0007", valid_from=date(2026, 7, 15))
    event(app7, "suspended", "2026-08-01", from_state="active", to_state="suspended")
    return [app1, app2, app3, app4, app5, app6, app7]


@pytest.fixture
def snapshots(aeo_history):
    snapshots_backfill(date(2026, 1, 1), date(2026, 9, 30))
