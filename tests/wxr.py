"""Build WordPress exports (WXR 1.2) for tests, the way Tools > Export writes them."""

from xml.sax.saxutils import escape

HEAD_TEMPLATE = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="{ns}excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{ns}">
<channel>
  <title>Truth Frontier</title>
  <link>{blog}</link>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>{site}</wp:base_site_url>
  <wp:base_blog_url>{blog}</wp:base_blog_url>
"""


HEAD = HEAD_TEMPLATE.format(
    ns="http://wordpress.org/export/1.2/",
    site="https://truthfrontier.example",
    blog="https://truthfrontier.example",
)


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def author(login, name, email=""):
    return f"""<wp:author><wp:author_id>1</wp:author_id><wp:author_login>{cdata(login)}</wp:author_login>
  <wp:author_email>{cdata(email or login + "@example.com")}</wp:author_email>
  <wp:author_display_name>{cdata(name)}</wp:author_display_name>
  <wp:author_first_name>{cdata(name.split()[0])}</wp:author_first_name>
  <wp:author_last_name>{cdata(name.split()[-1])}</wp:author_last_name></wp:author>"""


def category(slug, name):
    return f"""<wp:category><wp:term_id>3</wp:term_id><wp:category_nicename>{cdata(slug)}</wp:category_nicename>
  <wp:category_parent></wp:category_parent><wp:cat_name>{cdata(name)}</wp:cat_name></wp:category>"""


def comment(cid, author, content, *, approved="1", parent="0", email=None, url="", ip="203.0.113.9",
            date="2024-05-02 10:00:00", kind=""):  # fmt: skip
    return f"""<wp:comment><wp:comment_id>{cid}</wp:comment_id>
  <wp:comment_author>{cdata(author)}</wp:comment_author>
  <wp:comment_author_email>{cdata(email if email is not None else author.lower().replace(" ", ".") + "@example.com")}</wp:comment_author_email>
  <wp:comment_author_url>{escape(url)}</wp:comment_author_url>
  <wp:comment_author_IP>{ip}</wp:comment_author_IP>
  <wp:comment_date>{date}</wp:comment_date><wp:comment_date_gmt>{date}</wp:comment_date_gmt>
  <wp:comment_content>{cdata(content)}</wp:comment_content>
  <wp:comment_approved>{approved}</wp:comment_approved><wp:comment_type>{kind}</wp:comment_type>
  <wp:comment_parent>{parent}</wp:comment_parent><wp:comment_user_id>0</wp:comment_user_id></wp:comment>"""


def item(pid, title, *, slug=None, content="", excerpt="", status="publish", creator="admin",
         date="2024-05-01 09:30:00", modified="2024-05-03 12:00:00", kind="post", categories=(),
         tags=(), comments=(), meta=None, attachment_url="", sticky="0", comment_status="open",
         password="", parent="0", host="https://truthfrontier.example"):  # fmt: skip
    slug = slug if slug is not None else title.lower().replace(" ", "-")
    gmt = "0000-00-00 00:00:00" if status == "draft" else date
    terms = "".join(
        f'<category domain="category" nicename="{escape(s)}">{cdata(n)}</category>'
        for s, n in categories
    ) + "".join(
        f'<category domain="post_tag" nicename="{escape(s)}">{cdata(n)}</category>' for s, n in tags
    )
    metas = "".join(
        f"<wp:postmeta><wp:meta_key>{cdata(k)}</wp:meta_key><wp:meta_value>{cdata(v)}</wp:meta_value></wp:postmeta>"
        for k, v in (meta or {}).items()
    )
    return f"""<item><title>{escape(title)}</title>
  <link>{host}/{date[:10].replace("-", "/")}/{slug}/</link>
  <guid isPermaLink="false">{host}/?p={pid}</guid>
  <dc:creator>{cdata(creator)}</dc:creator>
  <content:encoded>{cdata(content)}</content:encoded><excerpt:encoded>{cdata(excerpt)}</excerpt:encoded>
  <wp:post_id>{pid}</wp:post_id><wp:post_date>{date}</wp:post_date><wp:post_date_gmt>{gmt}</wp:post_date_gmt>
  <wp:post_modified>{modified}</wp:post_modified><wp:post_modified_gmt>{modified}</wp:post_modified_gmt>
  <wp:comment_status>{comment_status}</wp:comment_status><wp:post_name>{cdata(slug)}</wp:post_name>
  <wp:status>{status}</wp:status><wp:post_password>{cdata(password)}</wp:post_password>
  <wp:post_parent>{parent}</wp:post_parent><wp:post_type>{kind}</wp:post_type><wp:is_sticky>{sticky}</wp:is_sticky>
  <wp:attachment_url>{escape(attachment_url)}</wp:attachment_url>
  {terms}{metas}{"".join(comments)}</item>"""


def export(*parts, site="https://truthfrontier.example", blog=None,
           ns="http://wordpress.org/export/1.2/") -> str:  # fmt: skip
    head = HEAD_TEMPLATE.format(ns=ns, site=site, blog=blog or site)
    return head + "\n".join(parts) + "\n</channel>\n</rss>\n"
