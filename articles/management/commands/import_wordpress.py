from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.pagecache import purge_all
from articles.wordpress.importer import WordPressImporter
from articles.wordpress.wxr import WXRError, parse_wxr


class DryRun(Exception):
    """Raised to roll back everything a dry run wrote."""


class Command(BaseCommand):
    help = (
        "Import a WordPress export (Tools > Export, WXR): authors, sections, tags, posts, pages, "
        "comments and images, with redirects from the old addresses and a report."
    )

    def add_arguments(self, parser):
        parser.add_argument("export", type=Path, help="the .xml file WordPress exported")
        parser.add_argument("--media-dir", type=Path, help="a copy of wp-content/uploads")
        parser.add_argument(
            "--fetch-media",
            action="store_true",
            help="download images not found in --media-dir from the old site",
        )
        parser.add_argument("--report", type=Path, help="write the full report here, as JSON")
        parser.add_argument("--dry-run", action="store_true", help="report, but write nothing")

    def handle(self, *args, export, media_dir, fetch_media, report, dry_run, **options):
        if media_dir and not media_dir.is_dir():
            raise CommandError(f"--media-dir {media_dir} is not a folder")
        try:
            site = parse_wxr(export, site_time_zone=settings.TIME_ZONE)
        except WXRError as error:
            raise CommandError(f"{export}: {error}. Nothing was imported.") from None
        self.stdout.write(
            f"Read {site.item_types['post']} posts and {site.item_types['page']} pages "
            f"from {site.base_url or export.name}."
        )
        importer = WordPressImporter(
            site,
            media_dir=media_dir,
            fetch_media=fetch_media,
            dry_run=dry_run,
            progress=self.stdout.write,
        )
        try:
            with transaction.atomic():
                importer.run()
                if dry_run:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: nothing was written. It would have done this:")
        except Exception:
            for name in importer.report.saved_files:  # files are not part of the transaction
                default_storage.delete(name)
            raise
        if not dry_run:
            purge_all()  # bulk writes send no signals
        self.stdout.write(importer.report.summary())
        if report:
            importer.report.write_json(report)
            self.stdout.write(f"Full report: {report}")
