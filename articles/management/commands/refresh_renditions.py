from django.core.management.base import BaseCommand

from articles.models import Article, Author
from articles.renditions import needs_refresh, refresh_renditions


class Command(BaseCommand):
    help = "Queue renditions and share cards for images that do not have them yet (or --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every rendition.")

    def handle(self, *args, **options):
        queued = 0
        for model in (Article, Author):
            for instance in model.objects.iterator():
                if options["all"] or needs_refresh(instance):
                    refresh_renditions.enqueue(instance._meta.label_lower, instance.pk)
                    queued += 1
        self.stdout.write(f"Queued renditions for {queued} row(s).")
