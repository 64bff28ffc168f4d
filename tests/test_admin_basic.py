import pytest
from django.urls import reverse

from .factories import make_article, make_comment

pytestmark = pytest.mark.django_db

MODELS = ["article", "author", "section", "source", "comment"]


@pytest.mark.parametrize("model", MODELS)
def test_every_model_has_a_working_admin_list_and_add_form(admin_client, model):
    make_comment(make_article())
    assert admin_client.get(reverse(f"admin:articles_{model}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:articles_{model}_add")).status_code == 200


def test_an_article_opens_in_the_admin_with_its_bylines_and_citations(admin_client):
    article = make_article(title="Admin headline")
    response = admin_client.get(reverse("admin:articles_article_change", args=[article.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Admin headline" in html
    assert "bylines-TOTAL_FORMS" in html
    assert "citations-TOTAL_FORMS" in html
