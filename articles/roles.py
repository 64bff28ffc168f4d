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
        # The media library: authors upload and describe images; editors also delete them.
        ("articles", "image"): ("add", "change", "view"),
        # Each note is changed or deleted by its writer only (EditorialNoteFormSet).
        ("articles", "editorialnote"): ALL,
        ("articles", "author"): ("view",),
        ("articles", "section"): ("view",),
        ("articles", "source"): ("view",),
        ("taggit", "tag"): ("view",),
        # The admin shows authors only the comments on their own articles.
        ("articles", "comment"): ("view",),
    },
    EDITORS: {
        # "edit_others": open, edit and publish every article, not only their bylines.
        ("articles", "article"): (*ALL, "edit_others"),
        ("articles", "editorialnote"): ALL,
        ("articles", "slugredirect"): ALL,
        ("articles", "tagredirect"): ALL,
        ("articles", "byline"): ALL,
        ("articles", "citation"): ALL,
        ("articles", "image"): ALL,
        ("articles", "correction"): ALL,
        ("articles", "author"): ALL,
        ("articles", "section"): ALL,
        ("articles", "source"): ALL,
        ("articles", "comment"): ALL,
        ("articles", "redirect"): ALL,
        ("articles", "banner"): ALL,
        ("articles", "page"): ALL,  # About, Contact, the ethics policy
        ("articles", "blocklistentry"): ALL,
        ("articles", "ban"): ALL,
        ("articles", "report"): ("view", "delete"),
        ("articles", "replysubscription"): ("view", "delete"),
        ("taggit", "tag"): ALL,
        ("articles", "taggedarticle"): ALL,
    },
}


# The admin menu per role (NewsroomAdminSite.get_app_list): "app_label.model" entries a role
# does not use. Superusers see everything; Tags move into the Articles list for the rest.
MENU_HIDDEN = {
    EDITORS: {
        "articles.replysubscription",  # shown on each comment's page
        "articles.report",  # shown on each comment's page
        "articles.taggedarticle",
        "django_tasks_database.dbtaskresult",
    },
    AUTHORS: {
        # Chosen on the article form; the lists themselves are the editors' desk.
        "articles.author",
        "articles.section",
        "articles.source",
        "taggit.tag",
        "articles.replysubscription",
        "articles.report",
        "articles.taggedarticle",
        "django_tasks_database.dbtaskresult",
    },
}


def menu_hidden(user) -> set[str]:
    """What the admin menu leaves out for `user` (their groups' lists, combined)."""
    if user.is_superuser:
        return set()
    names = set(user.groups.values_list("name", flat=True))
    hidden = [MENU_HIDDEN[name] for name in (EDITORS, AUTHORS) if name in names]
    if not hidden:
        return MENU_HIDDEN[AUTHORS]
    return set.intersection(*hidden)  # an editor who also writes sees the editors' menu


def sync_groups(apps, group_permissions=GROUP_PERMISSIONS):
    """Create the groups and give each the permissions that exist in `apps`.

    A migration run from scratch knows only the models (and custom permissions) of its
    own state: it grants those, and the migration that adds more calls this again.
    """
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True  # create_permissions skips apps without it
        create_permissions(app_config, verbosity=0, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in group_permissions.items():
        group, _ = Group.objects.get_or_create(name=name)
        found = (
            Permission.objects.filter(
                content_type__app_label=app_label, codename=f"{action}_{model}"
            ).first()
            for (app_label, model), actions in grants.items()
            for action in actions
        )
        group.permissions.set([permission for permission in found if permission])
