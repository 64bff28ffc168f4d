from .article import Article, ArticleQuerySet, Byline, Citation, Correction
from .author import Author
from .banner import Banner
from .comment import Comment, CommentQuerySet
from .taxonomy import Section, Source

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Banner",
    "Byline",
    "Citation",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "Section",
    "Source",
]
