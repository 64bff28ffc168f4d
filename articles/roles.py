"""The newsroom's groups and what each may do; migrations call sync_groups()."""

AUTHORS = "Authors"
EDITORS = "Editors"

ALL = ("add", "change", "delete", "view")

# (app_label, model) -> actions. Bylines and citations are edited inline on the
# article form, so authors need to add and remove them on their own articles.
GROUP_PERMISSIONS = {
    AUTHORS: {
        ("articles", "article"): ("add", "change", "view"),
        ("articles", "byline"): ALL,
        ("articles", "citation"): ALL,
        ("articles", "author"): ("view",),
        ("articles", "section"): ("view",),
        ("articles", "source"): ("view",),
        ("taggit", "tag"): ("view",),
        # The admin shows authors only the comments on their own articles.
        ("articles", "comment"): ("view",),
    },
    EDITORS: {
        ("articles", "article"): ALL,
        ("articles", "byline"): ALL,
        ("articles", "citation"): ALL,
        ("articles", "correction"): ALL,
        ("articles", "author"): ALL,
        ("articles", "section"): ALL,
        ("articles", "source"): ALL,
        ("articles", "comment"): ALL,
        ("articles", "redirect"): ALL,
        ("articles", "banner"): ALL,
        ("articles", "blocklistentry"): ALL,
        ("articles", "ban"): ALL,
        ("articles", "report"): ("view", "delete"),
        ("articles", "replysubscription"): ("view", "delete"),
        ("taggit", "tag"): ALL,
        ("articles", "taggedarticle"): ALL,
    },
}


def sync_groups(apps, group_permissions=GROUP_PERMISSIONS):
    """Create the groups and give each its permissions on the models that exist in `apps`.

    Each migration that adds a model calls this again, so a migration run from scratch
    grants only what its own state knows, and the latest one grants everything.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True  # create_permissions skips apps without it
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in group_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = [
            Permission.objects.get(content_type__app_label=app_label, codename=f"{action}_{model}")
            for (app_label, model), actions in grants.items()
            if _has_model(apps, app_label, model)
            for action in actions
        ]
        group.permissions.set(permissions)


def _has_model(apps, app_label, model) -> bool:
    try:
        apps.get_model(app_label, model)
    except LookupError:
        return False
    return True
