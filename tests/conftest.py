"""The fixed cast every test uses.

Atlantic (an operator): `alice` is its admin, `bob` a member, `carol` an outside consultant.
`mallory` is the admin of another company and must see nothing of Atlantic's.
Staff: `reviewer` and `supervisor` (AEO groups, with MFA). `member_of_association`, `anonymous`.
"""

from __future__ import annotations

import os

import pytest
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.models import AnonymousUser, Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import translation

from portal.models import Organisation, Role
from portal.roles import StaffGroup
from portal.work import broker_outage
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory


def pytest_configure(config):
    """Under pytest-xdist each worker has a test database of its own (pytest-django adds the worker's name)
    and, from here, a Redis database of its own: the next one after REDIS_URL's per worker, since the cache
    is flushed around every test. Nothing has connected to Redis yet when this runs."""
    from django.conf import settings

    from portal.celery import app as celery_app

    worker = os.environ.get("PYTEST_XDIST_WORKER")
    location = settings.CACHES["default"].get("LOCATION", "")
    if not worker or not location.startswith("redis://"):
        return
    base, _, number = location.rpartition("/")
    own = f"{base}/{int(number or 0) + int(worker.removeprefix('gw'))}"
    settings.CACHES["default"]["LOCATION"] = own
    settings.CELERY_BROKER_URL = own
    celery_app.conf.broker_url = own


@pytest.fixture(autouse=True)
def _fresh_content_type_cache():
    # Transactional tests flush the database and recreate content types under new ids.
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def _default_language():
    # A request through the test client activates its language (a profile's, a cookie's) in this thread, and
    # nothing after a request resets it: each test starts in the default language.
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    # The cache is the tests' own Redis database; rate limits must not carry over between tests.
    cache.clear()


@pytest.fixture(autouse=True)
def _no_outage_remembered():
    # A process remembers for a while that the broker or cache was down; each test starts with none.
    yield
    broker_outage.clear()
    cache.outage.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    # Slow password hashing makes every user a test creates cost a third of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def atlantic(db):
    return OrganisationFactory(name="Atlantic Freight", identifier="PT500000001")


@pytest.fixture
def other_company(db):
    return OrganisationFactory(name="Other Company", identifier="PT599999999")


@pytest.fixture
def alice(atlantic):
    return MembershipFactory(user=UserFactory(email="alice@atlantic.example", full_name="Alice Admin"),
                             organisation=atlantic, role=Role.ADMIN).user


@pytest.fixture
def bob(atlantic):
    return MembershipFactory(user=UserFactory(email="bob@atlantic.example", full_name="Bob Member"),
                             organisation=atlantic, role=Role.MEMBER).user


@pytest.fixture
def carol(atlantic):
    return MembershipFactory(user=UserFactory(email="carol@advisers.example", full_name="Carol Consultant"),
                             organisation=atlantic, role=Role.CONSULTANT).user


@pytest.fixture
def mallory(other_company):
    return MembershipFactory(user=UserFactory(email="mallory@other.example", full_name="Mallory Outsider"),
                             organisation=other_company, role=Role.ADMIN).user


@pytest.fixture
def member_of_association(db):
    association = OrganisationFactory(kind=Organisation.Kind.ASSOCIATION, name="Importers' Association",
                                      identifier="PT501112223")
    return MembershipFactory(user=UserFactory(email="eva@association.example"), organisation=association,
                             role=Role.ADMIN).user


def _staff(email: str, group: StaffGroup, *, mfa: bool = True):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(Group.objects.get(name=group.value))
    if mfa:
        TOTP.activate(user, generate_totp_secret())
    return user


@pytest.fixture
def reviewer(db):
    return _staff("reviewer@customs.example", StaffGroup.AEO_REVIEWER)


@pytest.fixture
def supervisor(db):
    return _staff("supervisor@customs.example", StaffGroup.AEO_SUPERVISOR)


@pytest.fixture
def programme_admin(db):
    return _staff("programme@customs.example", StaffGroup.PROGRAMME_ADMINISTRATOR)


@pytest.fixture
def staff_without_mfa(db):
    return _staff("newstaff@customs.example", StaffGroup.AEO_REVIEWER, mfa=False)


@pytest.fixture
def anonymous():
    return AnonymousUser()


@pytest.fixture
def client_for(db):
    """`client_for(user)`: a test client signed in as that user, with the user's second factor if they have
    one, unless `second_factor=False`."""

    def make(user, *, second_factor: bool = True) -> Client:
        client = Client()
        client.force_login(user)
        if second_factor and is_mfa_enabled(user):
            record_second_factor(client, user)
        return client

    return make


def record_second_factor(client: Client, user) -> None:
    """Record in the client's session that its sign-in used a second factor, as allauth does."""
    request = RequestFactory().get("/")
    request.session = client.session
    record_authentication(request, user, "password", email=user.email)
    record_authentication(request, user, "mfa", type="totp")
    request.session.save()


def pytest_collection_modifyitems(items):
    """Tests that commit data (transaction=True, live_server) end with a flush of every table, and that takes
    the rows of data migrations with it: staff groups, the questionnaire, the training centres. Every such test
    therefore restores the database as migrations left it before it starts."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = getattr(item, "fixturenames", ())
        if (marker and marker.kwargs.get("transaction")) or "transactional_db" in fixtures or "live_server" in fixtures:
            kept = marker.kwargs if marker else {}  # reset_sequences and the like
            item.add_marker(pytest.mark.django_db(**{**kept, "transaction": True, "serialized_rollback": True}),
                            append=False)
