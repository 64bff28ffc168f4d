"""Print the page cache's "what purges what" table (Markdown), from the declarations."""

from django.core.management.base import BaseCommand

from articles.pagecache.keys import CARRIED_BY
from articles.pagecache.triggers import QUIET, TRIGGERS


class Command(BaseCommand):
    help = "Print which change purges which page-cache keys, and which pages carry each key."

    def handle(self, *args, **options):
        self.stdout.write(purge_table())


def purge_table() -> str:
    lines = ["| Change | Purges | Kind |", "| --- | --- | --- |"]
    for trigger in TRIGGERS:
        kind = "hard" if trigger.hard else "soft"
        lines.append(f"| {_cap(trigger.change)} | {trigger.purges} | {kind} |")
    lines += [f"| {_cap(change)} | nothing | |" for change in QUIET]
    lines += ["", "| Key | Carried by |", "| --- | --- |"]
    lines += [f"| `{key}` | {pages} |" for key, pages in CARRIED_BY.items()]
    return "\n".join(lines)


def _cap(text: str) -> str:
    return text[0].upper() + text[1:]
