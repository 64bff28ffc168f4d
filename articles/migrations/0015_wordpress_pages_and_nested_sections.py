import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0014_desk_autosave_and_edit_lock"),
    ]

    operations = [
        migrations.CreateModel(
            name="Page",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("title", models.CharField(max_length=200)),
                (
                    "slug",
                    models.SlugField(allow_unicode=True, blank=True, max_length=200, unique=True),
                ),
                (
                    "body",
                    models.TextField(blank=True, help_text="Sanitised HTML, as an article's body."),
                ),
                ("is_published", models.BooleanField(default=True)),
                (
                    "in_footer",
                    models.BooleanField(default=True, verbose_name="linked from the footer"),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(default=0, help_text="Lower comes first."),
                ),
                ("modified_at", models.DateTimeField(auto_now=True)),
            ],
            options={"ordering": ["order", "title"]},
        ),
        migrations.AddField(
            model_name="section",
            name="parent",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="children",
                to="articles.section",
            ),
        ),
        migrations.AlterField(
            model_name="importrecord",
            name="kind",
            field=models.CharField(
                choices=[
                    ("author", "Author"),
                    ("section", "Section"),
                    ("post", "Post"),
                    ("comment", "Comment"),
                    ("page", "Page"),
                    ("image", "Image"),
                ],
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="importrecord",
            name="origin",
            field=models.CharField(
                help_text="The exported blog's address (base_blog_url).", max_length=300
            ),
        ),
    ]
