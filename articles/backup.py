"""The whole site's content as JSON: a backup that any database engine can load back."""

from django.apps import apps

# Everything the public pages are made of, with the accounts that bylines and comments point to.
CONTENT_APPS = ["articles", "taggit"]
ACCOUNT_MODELS = ["auth.user"]


def exported_models() -> list[str]:
    labels = [
        model._meta.label_lower
        for app_label in CONTENT_APPS
        for model in apps.get_app_config(app_label).get_models()
        if not model._meta.proxy
    ]
    return ACCOUNT_MODELS + labels


def content_exists() -> bool:
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    return Article.objects.exists() or Author.objects.exists()
