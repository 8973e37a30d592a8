from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from aeo.questionnaire import QuestionnaireError, load_questionnaire


class Command(BaseCommand):
    help = "Load a new version of the AEO self-assessment questionnaire from a JSON file."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)

    def handle(self, *args, path: Path, **options):
        if not path.exists():
            raise CommandError(f"No such file: {path}")
        try:
            questionnaire, created = load_questionnaire(path)
        except QuestionnaireError as error:
            raise CommandError(f"{path} is not a questionnaire:\n" + "\n".join(error.problems)) from error
        verb = "Loaded" if created else "Already loaded:"
        self.stdout.write(f"{verb} {questionnaire} with {questionnaire.sections.count()} sections.")
