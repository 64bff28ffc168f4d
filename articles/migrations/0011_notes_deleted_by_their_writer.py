from django.db import migrations

from articles.roles import sync_groups


def update_groups(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    """Authors may delete their own editorial notes (only their own: see the note formset)."""

    dependencies = [
        ("articles", "0010_draft_hero_may_wait_for_alt"),
    ]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
