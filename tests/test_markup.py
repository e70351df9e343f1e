"""Untrusted text becomes literal Markdown; front matter round-trips safely."""
import frontmatter
import markdown
import pytest

import html
import re

from build_scripts.markup import details_list, escape_block, front_matter, html_text, unescape

HOSTILE = [
    "<script>alert('x')</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "<iframe src='https://example.org'></iframe>",
    "{{ config.secret }} and {% include 'x' %}",
    "# not a heading",
    "- not a list",
    "1. not an ordered list",
    "*not emphasis* and _not_ and `not code`",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_renders_as_text(text):
    html = markdown.markdown(escape_block(text))
    assert html.startswith("<p>") and html.endswith("</p>")
    for tag in ("<script", "<img", "<iframe", "<a ", "<h1", "<li", "<em", "<code"):
        assert tag not in html
    assert unescape(escape_block(text)) == text


@pytest.mark.parametrize("text", HOSTILE + ["</details></ul><script>x</script>", "a\n\nb &amp; c", "<!-- x -->"])
def test_hostile_text_in_a_raw_html_list_renders_as_text(text):
    html_out = markdown.markdown(details_list('class="x"', "Summary", [html_text(text)] * 2),
                                 extensions=["md_in_html", "attr_list", "admonition"])
    for tag in ("<script", "<img", "<iframe", "<a ", "<h1", "<em", "<code", "<!--"):
        assert tag not in html_out
    items = re.findall(r"<li>(.*?)</li>", html_out)
    assert [html.unescape(i) for i in items] == [" ".join(text.split())] * 2
    assert html_out.count("<details") == html_out.count("</details>") == 1


def test_plain_prose_stays_readable():
    text = "China's strength in cyberspace (CPC), R&D, 20 April: “people-centred”."
    assert escape_block(text) == text


@pytest.mark.parametrize("title", ["Title: with colon", "- dash", "'quoted'", '"double"', "a #hash", "yes", "null",
                                   "{a: b}", "line\nbreak", "--- front matter ---"])
def test_front_matter_round_trips_awkward_titles(title):
    page = front_matter({"title": title, "people": ["Xi Jinping"]}, "# Body")
    post = frontmatter.loads(page)
    assert post["title"] == title
    assert post["people"] == ["Xi Jinping"]
    assert post.content == "# Body"
