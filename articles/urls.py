from django.urls import include, path

from articles import feeds, views
from articles.views import pages, preview

app_name = "articles"


def feed_routes(prefix: str, feed_class, name: str):
    """An RSS feed at <prefix>feed/ and its Atom twin at <prefix>feed/atom/."""
    return [
        path(f"{prefix}feed/", feed_class(), name=name),
        path(f"{prefix}feed/atom/", feeds.atom(feed_class)(), name=f"{name}_atom"),
    ]


urlpatterns = [
    path("", views.article_list, name="article_list"),
    path(
        "articles/<str:slug>/",
        preview.article_detail_or_redirect(views.article_detail),
        name="article_detail",
    ),
    path("authors/<str:slug>/", views.author_detail, name="author_detail"),
    path("sections/<str:slug>/", views.section_detail, name="section_detail"),
    path("tags/<str:slug>/", preview.tag_detail_or_redirect(views.tag_detail), name="tag_detail"),
    path("sources/<str:slug>/", views.source_detail, name="source_detail"),
    path("corrections/", views.corrections, name="corrections"),
    path("pages/<str:slug>/", pages.page_detail, name="page_detail"),
    path("search/", views.search, name="search"),
    path("", include("articles.comments.urls")),
    path("healthz/", views.healthz, name="healthz"),
    *feed_routes("", feeds.ArticleFeed, "feed"),
    *feed_routes("sections/<str:slug>/", feeds.SectionFeed, "section_feed"),
    *feed_routes("tags/<str:slug>/", feeds.TagFeed, "tag_feed"),
    *feed_routes("authors/<str:slug>/", feeds.AuthorFeed, "author_feed"),
    *feed_routes("sources/<str:slug>/", feeds.SourceFeed, "source_feed"),
    *feed_routes("corrections/", feeds.CorrectionFeed, "corrections_feed"),
    path("preview/<int:pk>/", preview.article_preview, name="article_preview"),
    path("preview/link/<str:token>/", preview.article_preview_link, name="article_preview_link"),
]
