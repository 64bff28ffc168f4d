"""The comments area of an article page: the thread built from the prefetched list (no query
per comment), the held comment, the reply target and the form. The view calls
comments_context(); includes/comments.html only renders it."""

from dataclasses import dataclass, field
from functools import partial

from django.conf import settings
from django.template.loader import render_to_string

from articles import fragments
from articles.comments import services, tokens
from articles.comments.forms import CommentForm
from articles.models import Comment


@dataclass
class Node:
    comment: Comment
    depth: int
    in_reply_to: Comment | None = None  # shown beside replies flattened at the depth limit
    is_held: bool = False
    opens: bool = False  # starts a nested list of replies
    closes: list = field(default_factory=list)  # one entry per nested list closed after it
    html: str = ""  # includes/comment.html: kept for every approved comment, live if held


def build_thread(comments, max_depth: int, held: Comment | None = None) -> list[Node]:
    """Replies nest up to `max_depth`; deeper ones follow their ancestor flat, by time.

    Walked with an explicit stack, in O(n log n) for any depth: a reply chain thousands
    long must neither exceed Python's recursion limit nor cost more per comment.
    """
    comments = sorted(comments, key=lambda c: (c.created_at, c.pk))
    by_id = {c.pk: c for c in comments}
    children: dict[int | None, list[Comment]] = {}
    for comment in comments:
        parent_id = comment.parent_id if comment.parent_id in by_id else None
        children.setdefault(parent_id, []).append(comment)
    flat = _flattened(comments, children, max_depth)
    nodes: list[Node] = []
    close = object()  # a marker on the stack: the nested list opened above ends here
    stack: list = [(root, 1) for root in reversed(children.get(None, []))]
    while stack:
        item = stack.pop()
        if item is close:
            nodes[-1].closes.append(True)
            continue
        comment, depth = item
        node = Node(comment, depth, is_held=comment is held)
        nodes.append(node)
        if depth >= max_depth:
            for reply in flat.get(comment.pk, []):
                nodes.append(
                    Node(reply, depth, in_reply_to=by_id[reply.parent_id], is_held=reply is held)
                )
        elif replies := children.get(comment.pk):
            node.opens = True
            stack.append(close)
            stack.extend((reply, depth + 1) for reply in reversed(replies))
    return nodes


def _flattened(comments, children, max_depth: int) -> dict[int, list[Comment]]:
    """The replies below each comment at the depth limit, all in the time order given."""
    anchor_of: dict[int, int] = {}  # reply id -> id of its ancestor at the depth limit
    level = [(root, 1) for root in children.get(None, [])]
    while level:
        below = []
        for comment, depth in level:
            for reply in children.get(comment.pk, []):
                if depth >= max_depth:
                    anchor_of[reply.pk] = anchor_of.get(comment.pk, comment.pk)
                below.append((reply, depth + 1))
        level = below
    flat: dict[int, list[Comment]] = {}
    for reply in comments:
        if reply.pk in anchor_of:
            flat.setdefault(anchor_of[reply.pk], []).append(reply)
    return flat


@dataclass
class CommentArea:
    count: int
    nodes: list[Node]
    picks: list[Comment]
    is_open: bool
    form: CommentForm | None  # when open
    reply_to: Comment | None
    held: Comment | None
    spam_held_id: int | None = None  # its sender sees that it awaits moderation, not the text
    bundles: dict = field(default_factory=dict)  # the page's other fragments, read with these


def comments_context(request, article, *, bundles=()) -> CommentArea:
    """Everything includes/comments.html shows. `bundles`: what the page's other fragments
    show, read from the cache in the same round trip as the comments (`area.bundles`)."""
    comments = list(article.comments.approved())
    held = spam_held_id = None
    token = request.GET.get("held") if request else None
    if token and (held_id := tokens.held_comment_id(token)):
        # Shown to the author who was redirected here with the signed link; one query, only then.
        # Spam (a banned sender's too) is never shown: the link would advertise it on our URL
        # for a week. Its sender is told it awaits moderation, so that spammers learn nothing.
        held = (
            Comment.objects.filter(pk=held_id, article=article)
            .filter(status__in=[Comment.Status.PENDING, Comment.Status.SPAM])
            .first()
        )
        if held and held.status == Comment.Status.SPAM:
            held, spam_held_id = None, held.pk
        if held:
            comments.append(held)
    by_id = {c.pk: c for c in comments}
    reply_to = None
    reply_id = request.GET.get("replytocom", "") if request else ""
    if reply_id.isdigit() and int(reply_id) in by_id and by_id[int(reply_id)] is not held:
        reply_to = by_id[int(reply_id)]
    is_open = services.comments_are_open(article)
    # Only an open thread shows the form: a closed one builds none (its fields, a signature).
    form = CommentForm(initial={"parent": reply_to.pk if reply_to else None}) if is_open else None
    area = CommentArea(
        count=len(comments) - (1 if held else 0),
        nodes=build_thread(comments, settings.COMMENTS_MAX_DEPTH, held),
        picks=[c for c in comments if c.is_editors_pick and c is not held],
        is_open=is_open,
        form=form,
        reply_to=reply_to,
        held=held,
        spam_held_id=spam_held_id,
    )
    _fill_fragments(area, bundles)
    return area


def _fill_fragments(area: CommentArea, bundles) -> None:
    """Each approved comment's HTML, from the cache in one round trip (with `bundles`): after
    a new comment only that one is rendered. A held comment, shown to its author alone, is
    always rendered live."""
    renders = {}
    for node in area.nodes:
        if not node.is_held:
            node.html = _comment_key(node, area.is_open)
            renders[node.html] = partial(_render_comment, node, area)
    found, area.bundles = fragments.cached_many(renders, bundles)
    for node in area.nodes:
        node.html = _render_comment(node, area) if node.is_held else found[node.html]


def _comment_key(node: Node, is_open: bool) -> str:
    c, parent = node.comment, node.in_reply_to
    shown = (c.pk, c.name, c.website, c.body, c.is_editors_pick, c.is_staff_reply, c.created_at)
    replying_to = (parent.pk, parent.name) if parent else None
    return fragments.fragment_key("comment", shown, node.depth, replying_to, is_open)


def _render_comment(node: Node, area: CommentArea) -> str:
    context = {"node": node, "comment": node.comment, "area": area}
    return render_to_string("includes/comment.html", context)
