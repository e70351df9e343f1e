"""MkDocs hooks (``hooks:`` in mkdocs.yml): page titles are text, never markup.

MkDocs and the Material theme put a page's front-matter ``title`` into the HTML as it
is (``<title>``, the header bar, the search index, tag listings): to them the value is
markup. In this archive it is text, and an article's title comes from an untrusted
capture, so a headline such as ``</title><script>…`` would run as script. This hook
escapes ``title`` and ``description`` before any template sees them; the front matter
in ``docs/`` stays plain text for curators and the data exports.

Standard library only: MkDocs loads this file by path.
"""
from __future__ import annotations

import html

ESCAPED_KEYS = ("title", "description")


def on_page_markdown(markdown, page, config, files):  # noqa: ARG001 - MkDocs' hook signature
    for key in ESCAPED_KEYS:
        value = page.meta.get(key)
        if isinstance(value, str):
            page.meta[key] = html.escape(value, quote=True)
    return markdown
