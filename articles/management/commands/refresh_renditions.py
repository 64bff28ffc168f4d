from django.core.management.base import BaseCommand

from articles.models import Article, Author, Image
from articles.renditions import needs_refresh, refresh_renditions


class Command(BaseCommand):
    help = "Queue renditions and share cards for images that do not have them yet (or --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Remake every rendition.")

    def handle(self, *args, **options):
        queued = 0
        # Library images first: an article with a hero copies its image's renditions.
        for model in (Image, Article, Author):
            rows = model.objects.select_related("hero") if model is Article else model.objects
            for instance in rows.iterator(chunk_size=500):
                if options["all"] or needs_refresh(instance):
                    refresh_renditions.enqueue(instance._meta.label_lower, instance.pk)
                    queued += 1
        self.stdout.write(f"Queued renditions for {queued} row(s).")
