from django.urls import path

from articles import views
from articles.views import preview

app_name = "articles"

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
    path("healthz/", views.healthz, name="healthz"),
    path("preview/<int:pk>/", preview.article_preview, name="article_preview"),
    path("preview/link/<str:token>/", preview.article_preview_link, name="article_preview_link"),
]
