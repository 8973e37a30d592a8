"""Issue or revoke a partner administration's API credential (mutual recognition), as a programme administrator."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from portal.models import PartnerClient, User
from portal.services.partners import partner_client_issue, partner_client_revoke


class Command(BaseCommand):
    help = ("Issue a token to a partner administration (its name and ISO country code), or revoke one with "
            "--revoke ID. --by names the programme administrator who does it; the token is shown once.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", required=True, help="e-mail of the programme administrator")
        parser.add_argument("--name", help="the partner administration, e.g. 'Japan Customs'")
        parser.add_argument("--country", help="its ISO 3166 country code, e.g. JP")
        parser.add_argument("--revoke", type=int, help="id of a credential to revoke")

    def handle(self, *args, by: str, name: str | None, country: str | None, revoke: int | None, **options) -> None:
        actor = User.objects.filter(email__iexact=by, is_active=True).first()
        if actor is None:
            raise CommandError(f"No active user {by}.")
        try:
            if revoke:
                client = PartnerClient.objects.filter(pk=revoke).first()
                if client is None:
                    raise CommandError(f"No partner credential {revoke}.")
                partner_client_revoke(actor=actor, client=client)
                self.stdout.write(f"Revoked the credential of {client}.")
                return
            if not name or not country:
                raise CommandError("Give --name and --country of the partner administration.")
            client, key = partner_client_issue(actor=actor, name=name, country=country.upper())
        except PermissionDenied as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Credential {client.pk} for {client}. Give the partner this token; it is not shown again:")
        self.stdout.write(key)
