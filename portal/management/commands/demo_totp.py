"""Print the current two-factor code of the demo staff logins (only with DJANGO_DEBUG on)."""

from __future__ import annotations

import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.management.commands.seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current authenticator code shared by the demo staff logins."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("demo_totp only runs with DJANGO_DEBUG on: it is for the demo data.")
        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
