from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from articles.backup import content_exists
from articles.models import Byline, TaggedArticle
from articles.pagecache import purge_all


class Command(BaseCommand):
    help = "Load a file written by export_json into an empty, migrated database (one transaction)."

    def add_arguments(self, parser):
        parser.add_argument("input", type=Path)

    def handle(self, *args, input, **options):
        if not input.is_file():
            raise CommandError(f"{input} is not a file.")
        if content_exists():
            raise CommandError(
                "This database already has articles or authors; import_json only loads into an "
                "empty one (run `manage.py migrate` on a new database first)."
            )
        # loaddata saves rows as they were (no save() side effects) and resets sequences.
        call_command("loaddata", str(input), verbosity=options["verbosity"])
        # Files written before tag links and bylines carried their article's time have none.
        TaggedArticle.objects.refresh_listed_at()
        Byline.objects.refresh_listed_at()
        purge_all()  # loaddata's raw saves send no purges; pages of the empty site may be kept
