"""The article body as readers get it: anchors, the Index and embed cards (articles/body/)."""

from django import template

from articles.body.render import Body, body_render

register = template.Library()


@register.simple_tag
def article_body(article) -> Body:
    """Use inside the page's cached fragment: the body is parsed once per edit."""
    return body_render(article.body, article.index)
