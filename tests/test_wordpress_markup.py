"""WordPress bodies as readers saw them: each kind of content kept, or named in the report."""

from articles.wordpress.markup import wordpress_to_html

TABLE = """<p>Before</p>



<table>
<thead>
<tr><th>Name</th><th>Score</th></tr>
</thead>

<tbody>
<tr><td>Ann</td><td>3</td></tr>
</tbody>
</table>"""

PRE = """<pre>line one

line three after a blank line
    indented</pre>"""


def test_tables_keep_their_cells_without_breaks_or_empty_paragraphs():
    html = wordpress_to_html(TABLE)
    assert "<table>" in html and "<th>Score</th>" in html and "<td>Ann</td>" in html
    assert "<br>" not in html and "<p></p>" not in html


def test_preformatted_text_keeps_its_blank_lines():
    html = wordpress_to_html(PRE)
    assert html == "<pre>line one\n\nline three after a blank line\n    indented</pre>"


def test_struck_text_definition_lists_details_address_and_reversed_lists_are_kept():
    html = wordpress_to_html(
        "<del>old</del> <s>gone</s> <ins>new</ins>\n\n"
        "<dl><dt>Term</dt><dd>Meaning</dd></dl>\n\n"
        "<details><summary>More</summary>Hidden text</details>\n\n"
        "<address>1 Main St</address>\n\n"
        '<ol reversed start="3"><li>three</li><li>two</li></ol>'
    )
    for kept in (
        "<del>old</del>",
        "<s>gone</s>",
        "<ins>new</ins>",
        "<dl><dt>Term</dt><dd>Meaning</dd></dl>",
        "<details><summary>More</summary>Hidden text</details>",
        "<address>1 Main St</address>",
        '<ol reversed="" start="3">',
    ):
        assert kept in html


def test_embeds_become_cards_from_shortcodes_blocks_and_bare_urls():
    notes = []
    html = wordpress_to_html(
        "[embed]https://www.youtube.com/watch?v=dQw4w9WgXcQ[/embed]\n\n"
        '<figure class="wp-block-embed is-type-video"><div class="wp-block-embed__wrapper">\n'
        "https://vimeo.com/22439234\n</div></figure>\n\n"
        "https://www.youtube.com/watch?v=nwbdgAbfuS4\n\n"
        "https://example.com/not-a-provider",
        notes=notes,
    )
    assert html.count("data-embed=") == 3
    # No card for this site: a link, and a line in the report.
    assert '<p><a href="https://example.com/not-a-provider">' in html
    assert notes == [
        "embed kept as a link (no card for this site): https://example.com/not-a-provider"
    ]


def test_galleries_audio_and_video_are_kept_and_what_cannot_be_is_named():
    notes = []
    html = wordpress_to_html(
        '[gallery ids="1,2"]\n\n'
        "[audio mp3=https://blog.example/files/song.mp3][/audio]\n\n"
        '[video src="https://blog.example/files/clip.mp4"]\n\n'
        "[gallery]\n\n"
        "<!-- wp:latest-posts /-->",
        notes=notes,
        gallery=lambda ids: [(f"https://blog.example/{i}.jpg", f"Photo {i}") for i in ids],
    )
    assert '<figure><img src="https://blog.example/1.jpg" alt="Photo 1">' in html
    assert '<a href="https://blog.example/files/song.mp3">Listen: song.mp3</a>' in html
    assert '<a href="https://blog.example/files/clip.mp4">Watch: clip.mp4</a>' in html
    assert any("[gallery] with no images" in n for n in notes)
    assert any("'latest-posts'" in n for n in notes)
    assert any(n.startswith("audio kept as a link") for n in notes)


def test_plugin_shortcodes_and_removed_elements_are_named():
    notes = []
    html = wordpress_to_html(
        '[contact-form-7 id="12"]\n\n<iframe src="https://maps.example/"></iframe>\n\nText',
        notes=notes,
    )
    assert html == "<p>Text</p>"
    assert "left out: the [contact-form-7] shortcode (a WordPress plugin's)" in notes
    assert "left out: <iframe> (not allowed in articles)" in notes
