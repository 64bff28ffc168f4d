from django.conf import settings
from django.core.management.base import BaseCommand

from articles.comments import notifications, privacy


class Command(BaseCommand):
    help = "Clear IP addresses and browser strings from comments older than the retention period."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=settings.COMMENTS_IP_RETENTION_DAYS,
            help="Keep addresses this many days (default: COMMENTS_IP_RETENTION_DAYS).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Count, change nothing.")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Enqueue the daily task instead (needs TASKS_BACKEND=database and db_worker).",
        )

    def handle(self, *args, days, dry_run, schedule, **options):
        if schedule:
            result = notifications.clear_comment_ips.enqueue()
            self.stdout.write(f"Enqueued task {result.id}; it re-schedules itself daily.")
            return
        count = privacy.clear_old_ips(days, dry_run=dry_run)
        verb = "Would clear" if dry_run else "Cleared"
        self.stdout.write(f"{verb} IP addresses from {count} comment(s) older than {days} days.")
