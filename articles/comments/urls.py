"""The readers' comment URLs, included by articles/urls.py (names in the "articles" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
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
]
