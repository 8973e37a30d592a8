"""Consultation personas on top of the shared cast.

`association` runs consultations (`member_of_association` is its admin); `customs_officer` is staff and a
member of the customs organisation, so may answer officially; `moderator` is in the moderator group.
"""

from __future__ import annotations

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.contrib.auth.models import Group

from consultations.models import Audience, Phase
from portal.models import Organisation, Role
from portal.roles import StaffGroup
from tests.consultations.factories import ConsultationFactory
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


@pytest.fixture
def association(member_of_association):
    return member_of_association.memberships.get().organisation


@pytest.fixture
def customs(db):
    return OrganisationFactory(kind=Organisation.Kind.CUSTOMS, name="National Customs Administration",
                               identifier="NCA-PT-001", sector="")


@pytest.fixture
def customs_officer(customs):
    user = UserFactory(email="officer@customs.example", full_name="Olga Officer", is_staff=True)
    MembershipFactory(user=user, organisation=customs, role=Role.MEMBER)
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def moderator(customs):
    user = UserFactory(email="moderator@customs.example", full_name="Mo Moderator", is_staff=True)
    user.groups.add(Group.objects.get(name=StaffGroup.CONSULTATION_MODERATOR.value))
    TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def open_consultation(association, member_of_association):
    return ConsultationFactory(organisation=association, created_by=member_of_association,
                               title="Single data set for low-value parcels")


@pytest.fixture
def invited_consultation(association, member_of_association, atlantic):
    consultation = ConsultationFactory(organisation=association, created_by=member_of_association,
                                       audience=Audience.INVITED, title="Working group: bonded warehouses")
    consultation.invited_organisations.add(atlantic)
    return consultation


@pytest.fixture
def draft_consultation(association, member_of_association):
    return ConsultationFactory(organisation=association, created_by=member_of_association, phase=Phase.DRAFT,
                               published_at=None, title="Draft: origin certificates")
