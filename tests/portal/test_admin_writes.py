"""Every write in the back office goes through a service that audits it, or the page is read-only."""

from __future__ import annotations

import json

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist
from django.test import RequestFactory
from django.urls import reverse

from portal.admin_audit import AuditedAdmin
from portal.models import AuditEvent, Organisation, User
from portal.roles import StaffGroup
from tests.conftest import _staff

# Apps we do not write ourselves: their admin pages are for superusers only, since no staff group is granted
# their permissions (checked below). Scheduling jobs, e-mail addresses, second factors and sessions.
THIRD_PARTY = {"django_celery_beat", "account", "mfa", "usersessions"}


def _superuser_request():
    request = RequestFactory().get("/admin/")
    request.user = User(email="root@customs.example", is_staff=True, is_superuser=True, is_active=True)
    return request


def _saves_through_a_service(model_admin) -> bool:
    own = type(model_admin)
    return (own.save_model is not admin.ModelAdmin.save_model
            or own.change_view is not admin.ModelAdmin.change_view)  # a page of its own, with its actions


@pytest.mark.django_db
def test_no_model_admin_saves_without_a_service():
    request = _superuser_request()
    unchecked = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label in THIRD_PARTY:
            continue
        instance = model()
        try:  # an object's own page may be read-only where the list still offers actions
            can_change = model_admin.has_change_permission(request, instance)
        except ObjectDoesNotExist:  # the check reads related rows an empty object lacks
            can_change = model_admin.has_change_permission(request)
        can_save = model_admin.has_add_permission(request) or can_change
        if can_save and not _saves_through_a_service(model_admin):
            unchecked.append(f"{model._meta.label}: saves")
        if model_admin.has_delete_permission(request, instance) and not isinstance(model_admin, AuditedAdmin):
            unchecked.append(f"{model._meta.label}: deletes")
    assert unchecked == []


@pytest.mark.django_db
def test_no_staff_group_holds_permissions_on_the_third_party_tables():
    granted = Permission.objects.filter(group__isnull=False, content_type__app_label__in=THIRD_PARTY)
    assert list(granted.values_list("content_type__app_label", "codename")) == []


@pytest.fixture
def verified(atlantic, reviewer):
    from portal.services.organisations import organisation_verify

    return organisation_verify(actor=reviewer, organisation=atlantic)


def _organisation_form(organisation: Organisation, **changes) -> dict:
    data = {f: getattr(organisation, f) for f in ("name", "identifier", "sector", "street", "postcode", "city",
                                                 "website")}
    data["country"] = organisation.country.code
    data.update({"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"})
    data.update(changes)
    return data


def test_identity_change_in_the_admin_unverifies_and_is_audited(verified, programme_admin, client_for):
    # when a programme administrator changes the organisation's identifier in the back office
    url = reverse("admin:portal_organisation_change", args=[verified.pk])
    response = client_for(programme_admin).post(url, _organisation_form(verified, identifier="PT999999990"))
    assert response.status_code == 302, response.content.decode()[:2000]
    # then it must be verified again, and the trail says who changed what
    verified.refresh_from_db()
    assert verified.identifier == "PT999999990" and not verified.is_verified
    events = AuditEvent.objects.for_target(verified)
    updated = events.get(action="organisation.updated")
    assert updated.actor == programme_admin and updated.data == {"fields": ["identifier"]}
    assert events.filter(action="organisation.unverified", to_state="unverified").count() == 1


def _user_form(user: User, *groups: Group, **changes) -> dict:
    return {"full_name": user.full_name, "is_active": "on" if user.is_active else "",
            "is_staff": "on" if user.is_staff else "", "groups": [g.pk for g in groups], **changes}


def test_programme_administrator_grants_a_role_and_the_trail_says_who(programme_admin, client_for):
    officer = _staff("new.officer@customs.example", StaffGroup.AEO_REVIEWER)
    supervisors = Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value)
    reviewers = Group.objects.get(name=StaffGroup.AEO_REVIEWER.value)
    url = reverse("admin:portal_user_change", args=[officer.pk])
    response = client_for(programme_admin).post(url, _user_form(officer, reviewers, supervisors))
    assert response.status_code == 302
    assert set(officer.groups.values_list("name", flat=True)) == {reviewers.name, supervisors.name}
    granted = AuditEvent.objects.for_target(officer).get(action="staff.role_granted")
    assert granted.actor == programme_admin
    assert granted.data == {"role": "AEO supervisor", "by": programme_admin.email}
    # and taking it away again is audited the same way
    client_for(programme_admin).post(url, _user_form(officer, reviewers))
    assert AuditEvent.objects.for_target(officer).get(action="staff.role_removed").data["role"] == "AEO supervisor"


def test_nobody_grants_roles_to_themselves_or_without_being_programme_administrator(
    programme_admin, supervisor, client_for
):
    supervisors = Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value)
    admins = Group.objects.get(name=StaffGroup.PROGRAMME_ADMINISTRATOR.value)
    # a programme administrator may not widen their own roles
    own = reverse("admin:portal_user_change", args=[programme_admin.pk])
    response = client_for(programme_admin).post(own, _user_form(programme_admin, admins, supervisors), follow=True)
    assert "Nobody grants or removes their own roles" in response.content.decode()
    assert set(programme_admin.groups.values_list("name", flat=True)) == {admins.name}
    # a supervisor has no say over roles at all
    other = reverse("admin:portal_user_change", args=[programme_admin.pk])
    assert client_for(supervisor).post(other, _user_form(programme_admin, admins, supervisors)).status_code == 403
    assert not AuditEvent.objects.filter(action="staff.role_granted").exists()
    # and no one sets another person's password from the back office
    assert client_for(programme_admin).get(
        reverse("admin:auth_user_password_change", args=[supervisor.pk])).status_code in (403, 404)


def test_reference_data_edited_in_the_admin_is_audited(programme_admin, client_for):
    from training.models import Centre

    # given a centre, and an officer to be named one of its advisers
    centre = Centre.objects.order_by("order").first()
    adviser = _staff("adviser@customs.example", StaffGroup.CENTRE_ADVISER)
    data = {"name": centre.name, "description": centre.description, "sectors": json.dumps(centre.sectors),
            "contact_email": centre.contact_email, "advisers": [adviser.pk], "order": centre.order}
    # when a programme administrator saves it in the back office
    response = client_for(programme_admin).post(reverse("admin:training_centre_change", args=[centre.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    # then the trail names who changed which fields
    event = AuditEvent.objects.for_target(centre).get(action="admin.changed")
    assert event.actor == programme_admin
    assert event.data["model"] == "training.Centre" and "advisers" in event.data["fields"]
    assert list(centre.advisers.all()) == [adviser]


def test_staff_groups_are_read_once_and_forgotten_when_they_change(db, django_assert_num_queries):
    from portal.roles import in_group

    officer = _staff("cached@customs.example", StaffGroup.AEO_REVIEWER)
    assert in_group(officer, StaffGroup.AEO_REVIEWER)
    with django_assert_num_queries(0):  # read once per user object, however many checks follow
        assert [in_group(officer, g) for g in StaffGroup] == [g == StaffGroup.AEO_REVIEWER for g in StaffGroup]
    officer.groups.add(Group.objects.get(name=StaffGroup.AEO_SUPERVISOR.value))
    assert in_group(officer, StaffGroup.AEO_SUPERVISOR)
