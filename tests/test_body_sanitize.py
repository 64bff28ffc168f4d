"""The allow-list for tables, corrections and anchors: what is kept, what is stripped."""

from django.template.loader import render_to_string

from articles.body.render import body_for_feed, body_render
from articles.sanitize import sanitize_html

from .xss import live_markup, xss_vectors


def test_tables_with_header_cells_and_spans_are_kept():
    html = (
        '<table><caption>Launches</caption><thead><tr><th scope="col">Date</th>'
        '<th scope="col" colspan="2">Kind</th></tr></thead><tbody><tr>'
        '<th scope="row">1 Dec</th><td rowspan="2">Ballistic</td><td>1</td></tr></tbody>'
        "<tfoot><tr><td>Total</td></tr></tfoot></table>"
    )
    assert sanitize_html(html) == html


def test_table_junk_is_stripped():
    editor = (
        '<table style="min-width: 50px" onclick="x()"><colgroup><col style="width: 9px">'
        '</colgroup><tbody><tr><th colspan="1" rowspan="1" scope="everything" class="x">'
        '<p>A</p></th><td colspan="0" rowspan="999" bgcolor="red"><p>b</p></td></tr></tbody></table>'
    )
    assert sanitize_html(editor) == (
        '<table><tbody><tr><th colspan="1" rowspan="1"><p>A</p></th><td><p>b</p></td></tr>'
        "</tbody></table>"
    )


def test_corrections_keep_del_s_and_ins_without_attributes():
    html = (
        '<p>It flew <del datetime="2026-12-01" cite="javascript:x">300 km</del>'
        '<ins onmouseover="x()">350 km</ins>, <s style="color:red">roughly</s>.</p>'
    )
    assert sanitize_html(html) == (
        "<p>It flew <del>300 km</del><ins>350 km</ins>, <s>roughly</s>.</p>"
    )


def test_headings_keep_only_plain_anchor_ids():
    html = (
        '<h2 id="launches">A</h2><h3 id="1st">B</h3><h2 id="x y">C</h2>'
        '<h4 id="a&quot;onclick=&quot;x">D</h4><p id="para">E</p>'
    )
    assert sanitize_html(html) == '<h2 id="launches">A</h2><h3>B</h3><h2>C</h2><h4>D</h4><p>E</p>'


def test_scripts_inside_tables_and_embeds_are_removed():
    html = (
        '<table><tr><td><script>alert(1)</script><img src="x" onerror="alert(1)"></td></tr></table>'
        '<figure data-embed="https://vimeo.com/1"><iframe src="https://evil.example"></iframe>'
        "</figure>"
    )
    cleaned = sanitize_html(html)
    assert "script" not in cleaned and "onerror" not in cleaned and "iframe" not in cleaned
    assert '<figure data-embed="https://vimeo.com/1"></figure>' in cleaned


def test_no_xss_vector_comes_alive_in_headings_tables_corrections_or_embeds():
    problems = {}
    for vector in xss_vectors():
        attribute = vector.replace('"', "&quot;")
        body = (
            f'<h2>{vector}</h2><h3 id="{attribute}">{vector}</h3>'
            f'<table><tr><th scope="{attribute}">{vector}</th><td>{vector}</td></tr></table>'
            f"<p><del>{vector}</del><ins>{vector}</ins><s>{vector}</s></p>"
            f'<figure data-embed="{attribute}">{vector}</figure>'
            f'<figure data-embed="https://youtu.be/dQw4w9WgXcQ">{vector}</figure>'
        )
        rendered = body_render(sanitize_html(body), "on")
        index = render_to_string("includes/index.html", {"index": rendered.index})
        for html in (str(rendered.html), index, body_for_feed(body)):
            if found := live_markup(html):
                problems[vector] = found
    assert not problems, problems
