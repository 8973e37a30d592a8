"""Create a customs staff login with its roles, or give an existing one more roles.

The first programme administrator of a new installation is made with this command: the demo logins
(`seed_demo`) have published passwords and must never exist in production.
"""

from __future__ import annotations

import getpass
import os

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from portal.models import User
from portal.roles import StaffGroup

PASSWORD_VARIABLE = "STAFF_PASSWORD"


class Command(BaseCommand):
    help = ("Create a customs staff login (by default a programme administrator), or add roles to an existing "
            f"one. The password is asked for, or read from {PASSWORD_VARIABLE}.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="full name")
        parser.add_argument("--role", action="append", choices=StaffGroup.values, dest="roles",
                            help="a staff group; repeat for several (default: Programme administrator)")
        parser.add_argument("--superuser", action="store_true",
                            help="may also edit users and their roles in the back office (give it to one or two "
                                 "administrators)")
        parser.add_argument("--no-input", "--noinput", action="store_false", dest="interactive",
                            help=f"never prompt: take the password from {PASSWORD_VARIABLE}")

    def handle(self, *args, email: str, name: str, roles: list[str] | None, superuser: bool, interactive: bool,
               **options) -> None:
        email = User.objects.normalize_email(email.strip()).lower()
        roles = roles or [StaffGroup.PROGRAMME_ADMINISTRATOR.value]
        groups = list(Group.objects.filter(name__in=roles))
        if len(groups) != len(set(roles)):
            raise CommandError("The staff groups are missing: run `manage.py migrate` first.")
        user = User.objects.filter(email__iexact=email).first()
        password = None if user else self._password(email, name, interactive)
        with transaction.atomic():
            if user is None:
                user = User.objects.create_user(email=email, password=password, full_name=name)
            elif name:
                user.full_name = name
            user.is_staff = True
            user.is_superuser = user.is_superuser or superuser
            user.save()
            user.groups.add(*groups)
            # allauth signs in only verified addresses; whoever runs this command vouches for it.
            EmailAddress.objects.update_or_create(user=user, email=email,
                                                  defaults={"verified": True, "primary": True})
        all_roles = ", ".join(sorted(user.groups.values_list("name", flat=True)))
        self.stdout.write(self.style.SUCCESS(f"{email} is customs staff with the roles: {all_roles}."))
        self.stdout.write(
            f"Sign in at {settings.SITE_URL}/accounts/login/. Two-factor authentication is required for staff: "
            "the first sign-in asks to set up an authenticator app before the back office opens."
        )

    def _password(self, email: str, name: str, interactive: bool) -> str:
        candidate = User(email=email, full_name=name)
        password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            if not interactive:
                raise CommandError(f"Set {PASSWORD_VARIABLE}, or run the command in a terminal to be asked.")
            password = getpass.getpass("Password: ")
            if password != getpass.getpass("Password (again): "):
                raise CommandError("The two passwords differ.")
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        return password
