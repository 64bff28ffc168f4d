from django import template
from django.utils.safestring import mark_safe

from articles.sanitize import sanitize_html

register = template.Library()


@register.filter
def clean_html(html: str) -> str:
    """Sanitise stored rich text again as it is rendered (defence in depth)."""
    return mark_safe(sanitize_html(html))  # noqa: S308 - nh3 output is safe
