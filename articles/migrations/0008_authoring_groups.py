from django.db import migrations

from articles.roles import sync_groups


def update_groups(apps, schema_editor):
    sync_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0007_authoring_desk"),
    ]

    operations = [migrations.RunPython(update_groups, migrations.RunPython.noop)]
