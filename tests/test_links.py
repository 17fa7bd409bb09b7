"""Evidence lines as Markdown (ui/links.py): only http(s) addresses become links, everything else stays text, whatever
a company types."""

from urllib.parse import unquote

from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ui.links import evidence_markdown

PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # as ui/markdown.py reads Streamlit's Markdown


def tokens(source: str):
    for token in PARSER.parse(source):
        yield token
        yield from token.children or ()


def links(source: str) -> list[str]:
    return [t.attrs["href"] for t in tokens(source) if t.type == "link_open"]


def test_an_address_is_a_link_showing_what_was_typed_and_the_rest_is_text():
    source = evidence_markdown(["https://drive.test/izin(2026)[1] lihat juga", "javascript:alert(1)", "SOP K3.pdf"])
    assert links(source) == ["https://drive.test/izin%282026%29%5B1%5D"]
    html = PARSER.render(source)
    assert ">https://drive.test/izin(2026)[1]</a> lihat juga" in html
    assert "<li>javascript:alert(1)</li>" in html and "<li>SOP K3.pdf</li>" in html


PIECES = st.sampled_from([*"abc :/()[]<>!*_`\\\"'#?&=%.", "http://", "https://", "javascript:", "![x](", "<img "])
LINES = st.lists(st.lists(PIECES, max_size=30).map("".join), max_size=5)


@given(LINES)
def test_whatever_is_typed_only_http_links_come_out_and_no_image_or_html(lines):
    source = evidence_markdown(lines)
    found = list(tokens(source))
    assert not [t for t in found if t.type in ("image", "html_inline", "html_block")]
    for href in links(source):
        assert href.lower().startswith(("http://", "https://")), href
        assert unquote(href) in " ".join(lines)  # a link goes where the text says
