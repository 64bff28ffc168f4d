from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.backup import exported_models


class Command(BaseCommand):
    help = "Write the whole site's content (and its staff accounts) as JSON, for import_json."

    def add_arguments(self, parser):
        parser.add_argument("output", help="file to write, e.g. newsroom.json")

    def handle(self, *args, output, **options):
        # Groups and permissions are matched by name, so the file loads into any fresh migrate.
        call_command(
            "dumpdata",
            *exported_models(),
            natural_foreign=True,
            indent=1,
            output=output,
            verbosity=0,
        )
        self.stdout.write(f"Wrote {output}.")
