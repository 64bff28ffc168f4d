from .article import Article, ArticleQuerySet, Byline, Citation, Correction, TaggedArticle
from .author import Author
from .banner import Banner
from .comment import Comment, CommentQuerySet
from .desk import Autosave, EditLock
from .editorial import EditorialNote, SlugRedirect, TagRedirect
from .imports import ImportRecord
from .media import Image, ImageQuerySet
from .moderation import Ban, BlocklistEntry, ReplySubscription, Report
from .pages import Page
from .redirect import Redirect
from .taxonomy import Section, Source

__all__ = [
    "Article",
    "ArticleQuerySet",
    "Author",
    "Autosave",
    "Banner",
    "Ban",
    "BlocklistEntry",
    "Byline",
    "Citation",
    "Comment",
    "CommentQuerySet",
    "Correction",
    "EditLock",
    "Image",
    "ImageQuerySet",
    "ImportRecord",
    "Page",
    "Redirect",
    "ReplySubscription",
    "Report",
    "EditorialNote",
    "Section",
    "SlugRedirect",
    "Source",
    "TaggedArticle",
    "TagRedirect",
]
