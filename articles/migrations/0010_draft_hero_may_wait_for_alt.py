# Drafts may keep a hero image without alt text; publishing still needs it.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_listing"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="article",
            name="article_hero_has_alt",
        ),
        migrations.AddConstraint(
            model_name="article",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status", "draft"),
                    ("hero_image", ""),
                    models.Q(("hero_alt", ""), _negated=True),
                    ("hero_is_decorative", True),
                    _connector="OR",
                ),
                name="article_hero_has_alt",
            ),
        ),
    ]
