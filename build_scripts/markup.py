"""Turning untrusted text into safe Markdown, and dumping front matter and JSON safely.

Everything that comes from a capture passes through ``escape`` (inline text) or
``escape_block`` (a paragraph) before it reaches a page, so raw HTML, scripts, links
and Markdown or template syntax in a capture render as the characters they are.
"""
from __future__ import annotations

import html
import json
import re
from typing import TYPE_CHECKING, Any, Iterable
from urllib.parse import quote

import yaml

if TYPE_CHECKING:
    from .records import Block

_INLINE = re.compile(r"([\\`*_\[\]{}])")
_BLOCK_START = re.compile(r"^(\s*)(?:([#+-])|(\d+)([.)])|(!!!|\?\?\?))")  # !!!/???: admonition, details
_ENTITY = re.compile(r"&(?=#?\w+;)")


def escape(text: str) -> str:
    """Escape inline Markdown and HTML so the text renders literally."""
    text = text.replace("&", "&amp;") if _ENTITY.search(text) else text
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", text)


def escape_block(text: str) -> str:
    """Escape a paragraph: inline syntax, plus syntax that only counts at a line's start."""
    text = " ".join(text.split())
    text = escape(text)
    return _BLOCK_START.sub(_escape_start, text)


def _escape_start(m: re.Match[str]) -> str:
    if m.group(5):  # "?" has no Markdown backslash escape: a character reference instead
        return m.group(1) + ("\\!!!" if m.group(5) == "!!!" else "&#63;??")
    if m.group(2):
        return f"{m.group(1)}\\{m.group(2)}"
    return f"{m.group(1)}{m.group(3)}\\{m.group(4)}"


def html_text(text: str) -> str:
    """Untrusted text as the content of a raw HTML element: one line, ``&``, ``<`` and ``>`` as references."""
    return html.escape(" ".join(text.split()), quote=False)


def details_list(attributes: str, summary: str, items: Iterable[str]) -> str:
    """A collapsed ``<details>`` holding a bullet list, written as one raw HTML block.

    Markdown passes a raw HTML block through as it is: no block or inline parsing per item,
    which is most of what a page costs to render. For lists of quoted text with no links.
    ``summary`` and ``items`` are markup (``html_text`` for untrusted text); the block holds
    no blank line, which would end it.
    """
    lines = "".join(f"<li>{item}</li>\n" for item in items)
    return f"<details {attributes}>\n<summary>{summary}</summary>\n<ul>\n{lines}</ul>\n</details>"


def unescape(text: str) -> str:
    """The plain text of ``escape`` output (for exports and tests)."""
    text = re.sub(r"\\(.)", r"\1", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&#63;", "?").replace("&amp;", "&")


def link(label: str, target: str) -> str:
    return f"[{escape(label)}]({quote(target, safe='/#.:-_~')})"


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml when present: same output, ~10x faster
    pass


def _str_presenter(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_presenter)


def front_matter(meta: dict[str, Any], body: str) -> str:
    """A page: YAML front matter (safe, key order kept) and a Markdown body."""
    dumped = yaml.dump(meta, Dumper=_Dumper, sort_keys=False, allow_unicode=True,
                       default_flow_style=False, width=10_000)
    return f"---\n{dumped}---\n\n{body.rstrip()}\n"


def json_records(records: list) -> str:
    """A JSON array with one record per line: diffs show the records that changed, and
    each line is encoded by the C encoder (``indent`` would use the slow pure-Python one)."""
    if not records:
        return "[]\n"
    return "[\n" + ",\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n]\n"


def render_blocks(blocks: Iterable[Block]) -> str:
    """The article text as Markdown: paragraphs, ``##`` section headings, bullet lists and
    numbered lists (from the number the capture's list started at)."""
    out = []
    for b in blocks:
        if b.kind == "heading":
            out.append(f"## {escape_block(b.text)}")
        elif b.kind == "list" and b.start is not None:
            out.append("\n".join(f"{b.start + n}. {escape_block(item)}" for n, item in enumerate(b.items)))
        elif b.kind == "list":
            out.append("\n".join(f"- {escape_block(item)}" for item in b.items))
        else:
            out.append(escape_block(b.text))
    return "\n\n".join(out)
