from django.db import migrations

from articles.roles import sync_groups


def update_groups(apps, schema_editor):
    sync_groups(apps)  # editors edit the site's own pages


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0016_media_library"),
    ]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
