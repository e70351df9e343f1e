"""Three-way merge of a page: what the build generated last time (base), what is on disk
now (ours: possibly edited by a curator), and what the build generates now (theirs).

Front matter merges key by key; the body merges passage by passage (a passage is a
line, and every paragraph of a generated page is one line). Whatever the curator
changed stays exactly as they left it; whatever they did not touch follows the build.
When both changed the same key or passage, the curator wins and a conflict is reported.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import merge3
import yaml

from .errors import FrontMatterError
from .markup import front_matter

_MISSING = object()


@dataclass(frozen=True)
class Conflict:
    page: str
    field: str  # a front-matter key, or "text" for a passage of the body
    detail: str

    def __str__(self) -> str:
        return f"{self.page} [{self.field}]: {self.detail}"


class _PageLoader(yaml.SafeLoader):
    """SafeLoader that keeps an impossible date (2018-02-30) as text, for a clear error naming the key."""

    def construct_yaml_timestamp(self, node: yaml.Node) -> Any:  # type: ignore[override]
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)  # type: ignore[arg-type]


_PageLoader.add_constructor("tag:yaml.org,2002:timestamp", _PageLoader.construct_yaml_timestamp)


def split_page(text: str, rel: str) -> tuple[dict[str, Any], str]:
    """Front matter and body of a page. Malformed front matter names file and line."""
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---\n", 3)
    if end < 0:
        raise FrontMatterError("front matter opened with '---' is never closed", path=rel, line=1)
    try:
        meta = yaml.load(text[4:end + 1], Loader=_PageLoader) or {}  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as exc:
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        line = mark.line + 2 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise FrontMatterError(f"malformed YAML: {problem}", path=rel, line=line) from None
    if not isinstance(meta, dict):
        raise FrontMatterError("front matter must be a mapping of keys to values", path=rel, line=2)
    return meta, text[end + 5:].lstrip("\n")


def edited_fields(base: dict[str, Any], ours: dict[str, Any]) -> dict[str, Any]:
    """Keys whose value the curator changed or added (a removed key maps to None)."""
    out = {k: v for k, v in ours.items() if base.get(k, _MISSING) != v}
    out.update({k: None for k in base if k not in ours})
    return out


def merge_meta(base: dict, ours: dict, theirs: dict, rel: str) -> tuple[dict, list[Conflict]]:
    merged: dict[str, Any] = {}
    conflicts: list[Conflict] = []
    for key in [*theirs, *(k for k in ours if k not in theirs)]:
        b, o, t = base.get(key, _MISSING), ours.get(key, _MISSING), theirs.get(key, _MISSING)
        if o == b:
            value = t
        else:
            value = o
            if t != b and t != o:
                conflicts.append(Conflict(rel, key, f"kept the hand edit {_show(o)}; the build now gives {_show(t)}"))
        if value is not _MISSING:
            merged[key] = value
    return merged, conflicts


def _show(value: Any) -> str:
    if value is _MISSING:
        return "(removed)"
    text = yaml.safe_dump(value, default_flow_style=True, allow_unicode=True, width=10_000).strip()
    text = text.removesuffix("...").strip()
    return text if len(text) <= 80 else text[:77] + "..."


def merge_body(base: str, ours: str, theirs: str, rel: str) -> tuple[str, list[Conflict]]:
    m = merge3.Merge3(base.splitlines(True), ours.splitlines(True), theirs.splitlines(True))
    out: list[str] = []
    conflicts: list[Conflict] = []
    for group in m.merge_groups():
        kind, lines = group[0], group[1]
        if kind == "conflict":
            _, b_lines, o_lines, t_lines = group  # merge3 gives (kind, base, a, b)
            out.extend(o_lines)
            passage = next((ln.strip() for ln in o_lines if ln.strip()), "(deleted)")
            conflicts.append(Conflict(rel, "text", f"kept the hand-edited passage “{passage[:70]}”; "
                                                   f"the build changed the same passage"))
        else:
            out.extend(lines)
    return "".join(out), conflicts


def merge_page(base: str, ours: str, theirs: str, rel: str) -> tuple[str, list[Conflict]]:
    """The merged page and the conflicts found. ``ours`` must parse (else FrontMatterError)."""
    b_meta, b_body = split_page(base, rel)
    o_meta, o_body = split_page(ours, rel)
    t_meta, t_body = split_page(theirs, rel)
    meta, c1 = merge_meta(b_meta, o_meta, t_meta, rel)
    body, c2 = merge_body(b_body, o_body, t_body, rel)
    if meta == o_meta and body == o_body:
        return ours, c1 + c2  # nothing flows in: the curator's bytes stay as they are
    return (front_matter(meta, body) if meta else body), c1 + c2
