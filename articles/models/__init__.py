from .article import Article, ArticleQuerySet, Byline, Citation, Correction
from .author import Author
from .comment import Comment, CommentQuerySet
from .moderation import Ban, BlocklistEntry, ReplySubscription, Report
from .taxonomy import Section, Source

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Ban",
    "BlocklistEntry",
    "Byline",
    "Citation",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "ReplySubscription",
    "Report",
    "Section",
    "Source",
]
