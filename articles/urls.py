from django.urls import path

from articles import views

app_name = "articles"

urlpatterns = [
    path("", views.article_list, name="article_list"),
    path("articles/<str:slug>/", views.article_detail, name="article_detail"),
    path("authors/<str:slug>/", views.author_detail, name="author_detail"),
    path("sections/<str:slug>/", views.section_detail, name="section_detail"),
    path("tags/<str:slug>/", views.tag_detail, name="tag_detail"),
    path("sources/<str:slug>/", views.source_detail, name="source_detail"),
    path("articles/<str:slug>/comments/", views.comment_post, name="comment_post"),
    path("comments/token/", views.comment_form_token, name="comment_form_token"),
    path("comments/<int:pk>/report/", views.comment_report, name="comment_report"),
    path(
        "comments/replies/confirm/<str:token>/",
        views.comment_confirm_subscription,
        name="comment_confirm_subscription",
    ),
    path(
        "comments/replies/unsubscribe/<str:token>/",
        views.comment_unsubscribe,
        name="comment_unsubscribe",
    ),
    path("healthz/", views.healthz, name="healthz"),
]
