from .article import Article, ArticleQuerySet, Byline, Citation, Correction
from .author import Author
from .comment import Comment, CommentQuerySet
from .editorial import EditorialNote, SlugRedirect, TagRedirect
from .taxonomy import Section, Source

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "Citation",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "EditorialNote",
    "Section",
    "SlugRedirect",
    "Source",
    "TagRedirect",
]
