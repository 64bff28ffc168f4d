from django.utils.text import slugify


def unique_slug(model, text: str, *, instance=None, max_length: int = 200) -> str:
    """A slug from `text` that no other row of `model` uses, adding -2, -3... as needed."""
    base = (slugify(text, allow_unicode=True) or "item")[: max_length - 8].strip("-") or "item"
    others = model._default_manager.all()
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    taken = set(others.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
