"""Fill an empty site with demo content, or a large data set for benchmarks."""

from django.core.management.base import BaseCommand, CommandError

from articles.demo import DEFAULT_ARTICLES, DEFAULT_COMMENTS_PER_ARTICLE, demo_create
from articles.pagecache import purge_all


class Command(BaseCommand):
    help = (
        "Create demo sections, authors, sources, articles and comments. "
        "Does nothing if any article exists."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=DEFAULT_ARTICLES,
            help=f"How many articles to create (default {DEFAULT_ARTICLES}).",
        )
        parser.add_argument(
            "--comments-per-article",
            type=int,
            default=DEFAULT_COMMENTS_PER_ARTICLE,
            help="Comments to create per article, spread over the published ones "
            f"(default {DEFAULT_COMMENTS_PER_ARTICLE}).",
        )

    def handle(self, *args, articles, comments_per_article, verbosity, **options):
        if articles < 0 or comments_per_article < 0:
            raise CommandError("--articles and --comments-per-article must be 0 or more.")
        summary = demo_create(
            articles=articles,
            comments_per_article=comments_per_article,
            progress=self.stdout.write if verbosity > 0 else None,
        )
        if summary is None:
            self.stdout.write("Demo content is already present (articles exist): nothing changed.")
        else:
            purge_all()  # written with bulk_create, which sends no purges
            self.stdout.write(self.style.SUCCESS(str(summary)))
