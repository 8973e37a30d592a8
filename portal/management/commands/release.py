"""The release step: run once per deploy, before the new web and worker processes start."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Check the production settings, migrate the database and collect the static files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--skip-checks-deploy", action="store_true",
                            help="leave out `check --deploy` (a staging site without HTTPS, say)")

    def handle(self, *args, skip_checks_deploy: bool, **options) -> None:
        verbosity = options["verbosity"]
        if not skip_checks_deploy:
            # Any warning stops the release, before the database changes.
            call_command("check", deploy=True, fail_level="WARNING", verbosity=verbosity)
        call_command("migrate", interactive=False, verbosity=verbosity)
        call_command("collectstatic", interactive=False, verbosity=verbosity)
        self.stdout.write(self.style.SUCCESS("Release done: settings checked, database migrated, static files "
                                             "collected. Start (or restart) web, worker, mailworker and beat."))
