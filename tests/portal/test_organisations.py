"""Organisations, memberships and invitations: the rules and the messages people see."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEvent, Invitation, Membership, Organisation, Role
from portal.services import organisations as services
from tests.factories import OrganisationFactory, UserFactory

ORGANISATION_FORM = {
    "kind": "operator", "name": "Porto Logistics", "identifier": "pt512345678", "country": "PT",
    "sector": "machinery", "street": "Rua do Porto 1", "postcode": "4000-001", "city": "Porto",
}


def test_signed_up_user_creates_organisation_and_becomes_admin(client_for, db):
    user = UserFactory()
    response = client_for(user).post(reverse("organisation_create"), ORGANISATION_FORM)
    organisation = Organisation.objects.get(name="Porto Logistics")
    assert response.status_code == 302
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.identifier == "PT512345678"
    assert organisation.verified_at is None
    assert Membership.objects.get(organisation=organisation).role == Role.ADMIN
    assert AuditEvent.objects.filter(action="organisation.created", organisation=organisation).count() == 1


def test_duplicate_identifier_in_same_country_is_refused_and_input_kept(client_for, atlantic):
    response = client_for(UserFactory()).post(
        reverse("organisation_create"), {**ORGANISATION_FORM, "identifier": atlantic.identifier.lower()}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "already registered in this country" in page
    assert 'value="Porto Logistics"' in page and 'value="Rua do Porto 1"' in page
    assert Organisation.objects.filter(name="Porto Logistics").count() == 0


def test_same_identifier_in_another_country_is_allowed(client_for, atlantic):
    response = client_for(UserFactory()).post(
        reverse("organisation_create"), {**ORGANISATION_FORM, "identifier": atlantic.identifier, "country": "ES"}
    )
    assert response.status_code == 302


def test_operator_must_name_its_sector(client_for, db):
    response = client_for(UserFactory()).post(reverse("organisation_create"), {**ORGANISATION_FORM, "sector": ""})
    assert "Choose the main industry sector" in response.content.decode()


def test_customs_kind_cannot_be_chosen_at_sign_up(client_for, db):
    response = client_for(UserFactory()).post(reverse("organisation_create"), {**ORGANISATION_FORM, "kind": "customs"})
    assert response.status_code == 200
    assert not Organisation.objects.exists()


def test_profile_completeness_lists_what_is_missing(atlantic):
    atlantic.street = ""
    atlantic.sector = ""
    assert atlantic.missing_profile_fields() == ["street and number", "main industry sector"]


# --- invitations ---------------------------------------------------------------------------------

def _invite(alice, atlantic, email="new@atlantic.example", role=Role.MEMBER):
    return services.invitation_create(actor=alice, organisation=atlantic, email=email, role=role)


def test_admin_invites_by_email_and_invitee_joins_once(alice, atlantic, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice).post(reverse("invitation_create", args=[atlantic.pk]),
                                          {"email": "New@Atlantic.example", "role": "consultant"})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "new@atlantic.example"
    [message] = mail.outbox
    assert message.to == ["new@atlantic.example"]
    link = next(line for line in message.body.splitlines() if "/invitations/" in line).strip()
    path = link.removeprefix("http://localhost:8000")
    # the token is in the link but not in the database
    assert path.split("/")[2] not in invitation.token_hash
    newcomer = UserFactory(email="new@atlantic.example")
    client = client_for(newcomer)
    assert "Accept the invitation" in client.get(path).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(path).status_code == 302
    assert Membership.objects.get(user=newcomer, organisation=atlantic).role == Role.CONSULTANT
    # used once: a second use is refused with a message
    response = client.post(path)
    assert "already been used" in response.content.decode()
    assert Membership.objects.filter(user=newcomer).count() == 1


def test_expired_invitation_is_refused_with_its_date(alice, atlantic, client_for):
    _invitation, token = _invite(alice, atlantic)
    newcomer = UserFactory(email="new@atlantic.example")
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        response = client_for(newcomer).post(reverse("invitation_accept", args=[token]))
    assert "expired on" in response.content.decode()
    assert not Membership.objects.filter(user=newcomer).exists()


def test_withdrawn_invitation_is_refused(alice, atlantic, client_for):
    invitation, token = _invite(alice, atlantic)
    services.invitation_revoke(actor=alice, invitation=invitation)
    response = client_for(UserFactory(email="new@atlantic.example")).post(reverse("invitation_accept", args=[token]))
    assert "withdrawn" in response.content.decode()


def test_invitation_for_another_address_is_refused(alice, atlantic, client_for):
    _invitation, token = _invite(alice, atlantic)
    response = client_for(UserFactory(email="someone.else@example.com")).post(
        reverse("invitation_accept", args=[token])
    )
    assert "was sent to new@atlantic.example" in response.content.decode()


def test_unknown_invitation_token_is_404(client_for, db):
    assert client_for(UserFactory()).get(reverse("invitation_accept", args=["made-up"])).status_code == 404


def test_anonymous_invitee_is_sent_to_sign_in_first(alice, atlantic, client):
    _invitation, token = _invite(alice, atlantic)
    response = client.get(reverse("invitation_accept", args=[token]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_inviting_an_existing_member_is_refused(alice, bob, atlantic, client_for):
    response = client_for(alice).post(reverse("invitation_create", args=[atlantic.pk]),
                                      {"email": bob.email, "role": "member"})
    assert "already a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_reinviting_replaces_the_open_invitation(alice, atlantic):
    first, _first_token = _invite(alice, atlantic)
    _second, _token = _invite(alice, atlantic)
    first.refresh_from_db()
    assert first.revoked_at is not None


# --- roles and leaving ---------------------------------------------------------------------------

def test_admin_changes_role_and_member_is_notified(alice, bob, atlantic, client_for):
    membership = bob.memberships.get()
    client_for(alice).post(reverse("membership_edit", args=[atlantic.pk, membership.pk]), {"role": "admin"})
    membership.refresh_from_db()
    assert membership.role == Role.ADMIN
    assert bob.notifications.get().subject == "Your role in Atlantic Freight is now Administrator"
    event = AuditEvent.objects.get(action="membership.role_changed")
    assert (event.from_state, event.to_state, event.actor) == ("member", "admin", alice)


def test_last_admin_can_neither_leave_nor_step_down(alice, bob, atlantic, client_for):
    own = alice.memberships.get()
    client = client_for(alice)
    response = client.post(reverse("membership_remove", args=[atlantic.pk, own.pk]), follow=True)
    assert "last administrator" in response.content.decode()
    response = client.post(reverse("membership_edit", args=[atlantic.pk, own.pk]), {"role": "member"})
    assert "last administrator" in response.content.decode()
    own.refresh_from_db()
    assert own.role == Role.ADMIN


def test_admin_may_leave_when_another_admin_remains(alice, bob, atlantic, client_for):
    services.membership_change_role(actor=alice, membership=bob.memberships.get(), role=Role.ADMIN)
    own = alice.memberships.get()
    response = client_for(alice).post(reverse("membership_remove", args=[atlantic.pk, own.pk]))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=own.pk).exists()


def test_member_leaves_but_cannot_remove_others(alice, bob, carol, atlantic, client_for):
    client = client_for(bob)
    carol_membership = carol.memberships.get()
    assert client.post(reverse("membership_remove", args=[atlantic.pk, carol_membership.pk])).status_code == 403
    assert client.post(reverse("membership_remove", args=[atlantic.pk, bob.memberships.get().pk])).status_code == 302
    assert not bob.memberships.exists()
    assert Membership.objects.filter(pk=carol_membership.pk).exists()


def test_user_in_two_organisations_switches_between_them(alice, atlantic, client_for):
    second = OrganisationFactory(name="Second Company")
    Membership.objects.create(user=alice, organisation=second, role=Role.MEMBER)
    client = client_for(alice)
    assert client.get(reverse("dashboard")).context["request"].membership.organisation == atlantic
    client.post(reverse("organisation_switch"), {"organisation": second.pk, "next": "/dashboard/"})
    assert client.get(reverse("dashboard")).context["request"].membership.organisation == second


def test_switching_to_an_organisation_one_does_not_belong_to_is_404(alice, other_company, client_for):
    response = client_for(alice).post(reverse("organisation_switch"), {"organisation": other_company.pk})
    assert response.status_code == 404


def test_customs_staff_verify_an_operator_in_the_admin(alice, atlantic, reviewer, client_for):
    Organisation.objects.filter(pk=atlantic.pk).update(verified_at=None)
    client = client_for(reviewer)
    changelist = reverse("admin:portal_organisation_changelist")
    confirm = client.post(changelist, {"action": "verify", "_selected_action": [atlantic.pk]})
    assert "Yes, verify them" in confirm.content.decode()
    atlantic.refresh_from_db()
    assert atlantic.verified_at is None  # nothing happens before the confirmation
    client.post(changelist, {"action": "verify", "_selected_action": [atlantic.pk], "confirmed": "yes"})
    atlantic.refresh_from_db()
    assert atlantic.verified_by == reviewer
    assert alice.notifications.get().kind == "organisation.verification"


def test_staff_without_the_verify_permission_cannot_verify(atlantic, client_for, db):
    from portal.roles import StaffGroup
    from tests.conftest import _staff

    moderator = _staff("moderator@customs.example", StaffGroup.CONSULTATION_MODERATOR)
    Organisation.objects.filter(pk=atlantic.pk).update(verified_at=None)
    client_for(moderator).post(reverse("admin:portal_organisation_changelist"),
                               {"action": "verify", "_selected_action": [atlantic.pk], "confirmed": "yes"})
    atlantic.refresh_from_db()
    assert atlantic.verified_at is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_admins_stepping_down_at_once_leave_one_admin():
    """Both try to leave the admin role at the same moment; the membership lock lets only one."""
    import threading

    from django.db import connection

    organisation = OrganisationFactory()
    a = Membership.objects.create(user=UserFactory(), organisation=organisation, role=Role.ADMIN)
    b = Membership.objects.create(user=UserFactory(), organisation=organisation, role=Role.ADMIN)
    barrier = threading.Barrier(2)
    errors = []

    def step_down(membership):
        barrier.wait()
        try:
            services.membership_change_role(actor=membership.user, membership=membership, role=Role.MEMBER)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in (a, b)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert len(errors) == 1
    assert Membership.objects.filter(organisation=organisation, role=Role.ADMIN).count() == 1


def test_the_form_says_when_each_field_left_empty_is_needed(client_for):
    page = client_for(UserFactory()).get(reverse("organisation_create")).content.decode()
    street = page[page.index('for="id_street"'):]
    assert street[:street.index("</label>")].endswith('<span class="optional">(needed to apply for AEO status)</span>')
    assert "(needed for economic operators)" in page
    assert "(optional)</span>" in page  # the website is optional for everyone
