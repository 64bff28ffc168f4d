"""Posting, reporting and reply-email views for reader comments.

The anonymous comment form carries no CSRF token so that article pages can be cached for
everyone (README "Comments"): it is protected by the Origin/Sec-Fetch-Site check below,
a signed timestamp, the honeypot and rate limits.
"""

from django.conf import settings
from django.http import Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.comments import services, tokens
from articles.comments.forms import CommentForm, ReportForm, form_token
from articles.models import Article, Comment
from articles.ratelimit import RateLimit, any_exceeded, client_ip, ip_identity


def post_limits():
    return [
        RateLimit("comment-minute", settings.COMMENTS_RATE_PER_MINUTE, 60),
        RateLimit("comment-hour", settings.COMMENTS_RATE_PER_HOUR, 3600),
    ]


def report_limits():
    return [RateLimit("report-hour", settings.COMMENTS_REPORTS_PER_HOUR, 3600)]


def is_same_origin(request) -> bool:
    """Browsers say where a POST came from; refuse other sites, allow clients that say nothing."""
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None:
        return fetch_site in {"same-origin", "none"}
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def _rejected(request, article, form, message, status, template="comments/rejected.html"):
    form.refresh_token()
    parent_id = str(form.data.get("parent", ""))
    parent = None
    if article and parent_id.isdigit():
        parent = article.comments.approved().filter(pk=parent_id).first()
    context = {"article": article, "form": form, "message": message, "parent": parent}
    return render(request, template, context, status=status)


@csrf_exempt
@require_POST
@never_cache
def comment_post(request, slug):
    form = CommentForm(request.POST)
    # First of all: a draft or scheduled article answers every check as an unknown slug does.
    article = Article.objects.published().filter(slug=slug).first()
    if article is None:
        return _rejected(request, None, form, "This article is not available for comments.", 404)
    ip = client_ip(request)
    if not is_same_origin(request):
        return _rejected(request, None, form, "This form was sent from another site.", 403)
    email = request.POST.get("email", "").strip().lower()
    if any_exceeded(post_limits(), [ip_identity(ip), email and f"email:{email}"]):
        return _rejected(request, article, form, "", 429, "comments/429.html")
    if not services.comments_are_open(article):
        return _rejected(request, article, form, "Comments are closed on this article.", 403)
    if not form.is_valid():
        return _rejected(request, article, form, "Please check the highlighted fields.", 400)
    data = form.cleaned_data
    if data["parent"]:
        data["parent"] = article.comments.approved().filter(pk=data["parent"]).first()
        if data["parent"] is None:
            form.add_error(None, "The comment you replied to is no longer available.")
            form.data = form.data.copy()
            form.data["parent"] = ""
            return _rejected(
                request, article, form, "Your reply can be posted as a new comment.", 400
            )
    comment, _ = services.comment_post(
        article,
        data,
        ip=ip,
        user_agent=request.headers.get("User-Agent", ""),
        too_fast=form.too_fast,
        honeypot=bool(data["address"]),
    )
    url = article.get_absolute_url()
    if not comment.is_approved:
        url += f"?held={tokens.held_token(comment)}"
    response = HttpResponseRedirect(f"{url}#comment-{comment.pk}")
    if data["remember"]:
        response.set_cookie(
            tokens.REMEMBER_COOKIE,
            tokens.remember_cookie_value(data),
            max_age=60 * 60 * 24 * 365,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )  # not HttpOnly: site.js reads it to fill the form
    else:
        response.delete_cookie(tokens.REMEMBER_COOKIE, samesite="Lax")
    return response


@require_GET
@never_cache
def comment_form_token(request):
    """A fresh signed time for a form served from the page cache (site.js asks on focus)."""
    return JsonResponse({"issued": form_token()})


@require_http_methods(["GET", "POST"])
def comment_report(request, pk):
    comment = get_object_or_404(
        Comment.objects.approved().select_related("article"),
        pk=pk,
        article__in=Article.objects.published(),
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        if any_exceeded(report_limits(), [ip_identity(client_ip(request)) or "ip:unknown"]):
            return render(request, "comments/429.html", {"article": comment.article}, status=429)
        if form.is_valid():
            services.comment_report(comment, **form.cleaned_data, ip=client_ip(request))
            return render(request, "comments/reported.html", {"comment": comment})
    return render(request, "comments/report.html", {"comment": comment, "form": form})


@require_http_methods(["GET", "POST"])
def comment_confirm_subscription(request, token):
    """The double opt-in link; confirming takes a button press so link scanners don't."""
    email = tokens.email_from_token(token, tokens.SUBSCRIBE_SALT, tokens.SUBSCRIBE_MAX_AGE)
    if email is None:
        raise Http404("This confirmation link is not valid or has expired.")
    confirmed = False
    if request.method == "POST":
        services.subscription_confirm(email)
        confirmed = True
    return render(request, "comments/confirm_subscription.html", {"confirmed": confirmed})


@csrf_exempt  # RFC 8058 one-click: the mail client POSTs; the signed token is the authority
@require_http_methods(["GET", "POST"])
def comment_unsubscribe(request, token):
    email = tokens.email_from_token(token, tokens.UNSUBSCRIBE_SALT)
    if email is None:
        raise Http404("This unsubscribe link is not valid.")
    done = False
    if request.method == "POST":
        services.subscriptions_cancel(email)
        done = True
    return render(request, "comments/unsubscribe.html", {"done": done})
