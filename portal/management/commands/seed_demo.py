"""Demo data: organisations and one user per persona. Safe to run any number of times."""

from __future__ import annotations

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.module_loading import module_has_submodule

from portal.models import Membership, Notification, Organisation, Role, Sector, User
from portal.roles import StaffGroup

DEMO_PASSWORD = "demo-portal-2026"
# Staff must use MFA; the demo staff share this authenticator secret (README, `manage.py demo_totp`).
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"

ORGANISATIONS = {
    "customs": dict(kind="customs", name="National Customs Administration", identifier="NCA-PT-001",
                    country="PT", street="Rua da Alfândega 5", postcode="1100-016", city="Lisboa"),
    "atlantic": dict(kind="operator", name="Atlantic Freight Forwarding Lda", identifier="PT500123456",
                     country="PT", sector=Sector.MACHINERY, street="Avenida do Porto 120", postcode="4450-718",
                     city="Matosinhos", website="https://atlantic-freight.example"),
    "lusitania": dict(kind="operator", name="Lusitania Pharma Exports SA", identifier="PT509876543",
                      country="PT", sector=Sector.PHARMA, street="Rua da Indústria 8", postcode="2790-004",
                      city="Carnaxide"),
    "association": dict(kind="association", name="Association of Importers and Exporters", identifier="PT501112223",
                        country="PT", street="Praça do Comércio 10", postcode="1100-148", city="Lisboa"),
}

# email, full name, organisation, role, staff groups
PERSONAS = [
    ("admin@atlantic.example", "Ana Ferreira", "atlantic", Role.ADMIN, []),
    ("colleague@atlantic.example", "Bruno Costa", "atlantic", Role.MEMBER, []),
    ("consultant@advisers.example", "Carla Mendes", "atlantic", Role.CONSULTANT, []),
    ("admin@lusitania.example", "Duarte Lopes", "lusitania", Role.ADMIN, []),
    ("member@association.example", "Eva Santos", "association", Role.ADMIN, []),
    ("reviewer@customs.example", "Filipe Rocha", "customs", Role.MEMBER, [StaffGroup.AEO_REVIEWER]),
    ("supervisor@customs.example", "Graça Pinto", "customs", Role.MEMBER, [StaffGroup.AEO_SUPERVISOR]),
    ("moderator@customs.example", "Hugo Alves", "customs", Role.MEMBER, [StaffGroup.CONSULTATION_MODERATOR]),
    ("author@customs.example", "Inês Marques", "customs", Role.MEMBER, [StaffGroup.TRAINING_AUTHOR]),
    ("adviser@customs.example", "João Teixeira", "customs", Role.MEMBER, [StaffGroup.CENTRE_ADVISER]),
    ("programme@customs.example", "Luísa Sousa", "customs", Role.ADMIN, [StaffGroup.PROGRAMME_ADMINISTRATOR]),
]


class Command(BaseCommand):
    help = "Create (or bring back to their demo state) the demo organisations and persona logins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true",
                            help="run even without DJANGO_DEBUG (a public demonstration site, never production)")

    @transaction.atomic
    def handle(self, *args, force: bool = False, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "seed_demo creates logins whose password and authenticator secret are published in the README, "
                "so it runs only with DJANGO_DEBUG=true. For a public demonstration site, add --force. "
                "For a real portal, create staff with `manage.py create_staff`."
            )
        last_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        organisations = {}
        for key, fields in ORGANISATIONS.items():
            organisation, _created = Organisation.objects.update_or_create(
                country=fields["country"], identifier=fields["identifier"], defaults=fields
            )
            organisations[key] = organisation
        for key in ("customs", "atlantic", "association"):
            Organisation.objects.filter(pk=organisations[key].pk, verified_at__isnull=True).update(
                verified_at=organisations[key].created_at
            )
        for email, name, org_key, role, groups in PERSONAS:
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
            if created:
                user.set_password(DEMO_PASSWORD)
            user.full_name = name
            user.is_staff = bool(groups)
            user.save()
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            Membership.objects.update_or_create(user=user, organisation=organisations[org_key],
                                                defaults={"role": role})
            user.groups.set(Group.objects.filter(name__in=[g.value for g in groups]))
            if groups and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        # Each pillar adds its own demo data in `<app>/demo.py`, with a `seed(stdout)` function.
        for app_config in apps.get_app_configs():
            if app_config.name != "portal" and module_has_submodule(app_config.module, "demo"):
                import_module(f"{app_config.name}.demo").seed(self.stdout)
        call_command("seed_history", stdout=self.stdout)  # past activity, for the performance charts
        # The demo's own history is not news: its notifications stay in the portal (unread) but are not
        # e-mailed, so that `make run` does not print dozens of e-mails to fictional people over the logins.
        # What a visitor then does (sign up, comment, submit) is e-mailed, and shown on the console.
        Notification.objects.filter(pk__gt=last_notification, email_status__in=Notification.IN_OUTBOX).update(
            email_status=Notification.EmailStatus.SKIPPED, last_error="Demo data: not e-mailed."
        )
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {len(ORGANISATIONS)} organisations, {len(PERSONAS)} logins "
            f"(password {DEMO_PASSWORD!r}; staff TOTP secret {DEMO_TOTP_SECRET})."
        ))
