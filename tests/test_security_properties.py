"""Property tests: random text and HTML thrown at the sanitiser and the comment form."""

from django.test import override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from articles.comments.forms import CommentForm
from articles.models import Comment
from articles.sanitize import sanitize_html
from tests.factories import comment_form_data, make_article
from tests.xss import live_markup, xss_vectors

TAGS = ["script", "img", "a", "svg", "iframe", "p", "style", "object", "math", "form", "b"]
ATTRIBUTES = ["onerror", "onload", "href", "src", "style", "srcdoc", "formaction", "xlink:href"]
VALUES = ["javascript:alert(1)", "JaVa&#x09;script:x", "data:text/html,<script>", "x", " "]


@st.composite
def html_soup(draw):
    """Random markup: tags, hostile attributes, vectors from the corpus and plain noise."""
    pieces = draw(
        st.lists(
            st.one_of(
                st.sampled_from(xss_vectors()),
                st.text(max_size=20),
                st.builds(
                    lambda tag, attr, value, close: (
                        f"<{tag} {attr}={value!r}>" + (f"</{tag}>" if close else "")
                    ),
                    st.sampled_from(TAGS),
                    st.sampled_from(ATTRIBUTES),
                    st.sampled_from(VALUES),
                    st.booleans(),
                ),
                st.sampled_from(
                    ["<", ">", "</", "<!--", "-->", "<![CDATA[", "&#", "\x00", "\ufeff"]
                ),
            ),
            max_size=12,
        )
    )
    return "".join(pieces)


@given(st.one_of(html_soup(), st.text()))
def test_sanitised_html_never_contains_live_markup(html):
    clean = sanitize_html(html)
    assert live_markup(clean) == []
    assert live_markup(sanitize_html(clean)) == []  # and nothing revives on a second pass


@given(
    name=st.text(max_size=150),
    email=st.one_of(st.emails(), st.text(max_size=60)),
    website=st.one_of(st.just(""), st.text(max_size=60), st.sampled_from(VALUES)),
    body=st.one_of(html_soup(), st.text(max_size=600)),
)
def test_the_comment_form_accepts_only_clean_bounded_values(name, email, website, body):
    form = CommentForm(comment_form_data(name=name, email=email, website=website, body=body))
    if form.is_valid():
        data = form.cleaned_data
        assert "\x00" not in data["name"] + data["body"]
        assert len(data["name"]) <= 100 and data["body"].strip()
        assert not data["website"] or data["website"].startswith(("http://", "https://"))


@override_settings(
    COMMENTS_MODERATION="none", COMMENTS_RATE_PER_MINUTE=10**6, COMMENTS_RATE_PER_HOUR=10**6
)
class CommentPostingProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.article = make_article()

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(name=st.text(max_size=120), body=st.one_of(html_soup(), st.text(max_size=400)))
    def test_any_comment_is_refused_politely_or_shown_escaped(self, name, body):
        self.client.raise_request_exception = False
        url = reverse("articles:comment_post", args=[self.article.slug])
        response = self.client.post(url, comment_form_data(name=name, body=body))
        assert response.status_code in {302, 400}, response.status_code
        if response.status_code == 400:
            assert live_markup(response.content.decode()) == []
            assert not Comment.objects.exists()
            return
        comment = Comment.objects.get()
        page = self.client.get(response["Location"])
        assert page.status_code == 200
        assert live_markup(page.content.decode()) == []
        assert f'id="comment-{comment.pk}"' in page.content.decode()
