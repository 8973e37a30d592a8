"""The customs staff groups. Each app's migrations grant its own permissions to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from portal.types import AnyUser


class StaffGroup(TextChoices):
    AEO_REVIEWER = "AEO reviewer", _("AEO reviewer")
    AEO_SUPERVISOR = "AEO supervisor", _("AEO supervisor")
    CONSULTATION_MODERATOR = "Consultation moderator", _("Consultation moderator")
    TRAINING_AUTHOR = "Training author", _("Training author")
    CENTRE_ADVISER = "Centre adviser", _("Centre adviser")
    PROGRAMME_ADMINISTRATOR = "Programme administrator", _("Programme administrator")


def has_staff_powers(user: AnyUser) -> bool:
    """An active staff member whose session passed a second factor.

    `StaffMFAMiddleware` marks each request's user with `second_factor_passed`, and personal API tokens
    never carry staff powers. A user object made outside a request (a task, the shell) has no session
    to check and keeps its powers.
    """
    return bool(user.is_authenticated and user.is_active and user.is_staff
                and getattr(user, "second_factor_passed", True))


def staff_groups(user: AnyUser) -> frozenset[str]:
    """The staff groups whose powers the user has now, read once per user object (not once per check)."""
    cached = user.__dict__.get("_staff_groups")
    if cached is None:
        if not has_staff_powers(user):
            cached = frozenset()
        elif user.is_superuser:
            cached = frozenset(StaffGroup.values)
        else:
            cached = frozenset(user.groups.values_list("name", flat=True))
        user.__dict__["_staff_groups"] = cached
    return cached


def in_group(user: AnyUser, group: StaffGroup) -> bool:
    return group.value in staff_groups(user)


def forget_staff_groups(user: AnyUser) -> None:
    """After the user's groups, staff flag or second factor changed on this object."""
    user.__dict__.pop("_staff_groups", None)


def grant_permissions(apps, grants: dict[StaffGroup, list[str]]) -> None:
    """For data migrations: create the groups and give them permissions named "app_label.codename".

    Permissions are normally created after all migrations ran; create them now so they can be granted.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, names in grants.items():
        group, _created = Group.objects.get_or_create(name=group_name.value)
        for name in names:
            app_label, codename = name.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
