"""Citations: the files the build writes under docs/cite/ read back with real parsers
(bibtexparser, rispy, the official CSL-JSON schema), the Chicago/APA strings, and the
"Cite this article" box on every article page.

Inputs: the seeds, and tests/fixtures/cite/ (a headline full of TeX and HTML specials, a
capture stating author, URL and a month-only date, one stating a year only, one undated
with no source).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import bibtexparser
import frontmatter
import jsonschema
import pytest
import rispy
from bibtexparser import middlewares

from build_scripts.cite import ArchiveInfo, apa, chicago, load_archive_info
from build_scripts.errors import KnowledgeError
from build_scripts.records import PartialDate
from sitecheck import tool_env

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "cite"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "csl-data.json"
HOSTILE = "hostile-headline-tex-and-html-specials"


# --------------------------------------------------------------------------- building
@dataclass
class Generated:
    docs: Path
    articles: list[dict]  # data/articles.json

    def by_id(self) -> dict[str, dict]:
        return {a["id"]: a for a in self.articles}

    def read(self, rel: str) -> str:
        return (self.docs / rel).read_text(encoding="utf-8")


def generate(seeds: Path, work: Path) -> Generated:
    """Run the generator's command line (as a user would) on ``seeds`` into ``work/docs``."""
    env = tool_env()
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    docs = work / "docs"
    proc = subprocess.run([sys.executable, "-m", "build_scripts", "build", "--seeds", str(seeds), "--docs",
                           str(docs), "--knowledge", str(REPO / "knowledge")],
                          cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"generator failed:\n{proc.stdout}\n{proc.stderr}"
    return Generated(docs, json.loads((docs / "data" / "articles.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="module")
def seeds_docs(tmp_path_factory) -> Generated:
    return generate(REPO / "seeds", tmp_path_factory.mktemp("seeds-docs"))


@pytest.fixture(scope="module")
def fixture_docs(tmp_path_factory) -> Generated:
    return generate(FIXTURES, tmp_path_factory.mktemp("cite-docs"))


@pytest.fixture(params=["seeds", "fixtures"])
def generated(request, seeds_docs: Generated, fixture_docs: Generated) -> Generated:
    return seeds_docs if request.param == "seeds" else fixture_docs


def parse_bib(text: str):
    return bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])


def precision(date: str | None) -> int:
    """Number of date parts in YYYY, YYYY-MM or YYYY-MM-DD (0 for no date)."""
    return len(str(date).split("-")) if date else 0


# --------------------------------------------------------------------------- BibTeX
def test_bibtex_files_parse_one_entry_per_article(generated: Generated) -> None:
    lib = parse_bib(generated.read("cite/archive.bib"))
    assert not lib.failed_blocks, [b.error for b in lib.failed_blocks]
    assert sorted(e.key for e in lib.entries) == sorted(generated.by_id())
    for article_id in generated.by_id():
        single = parse_bib(generated.read(f"cite/{article_id}.bib"))
        assert [e.key for e in single.entries] == [article_id] and not single.failed_blocks


def test_bibtex_fields_follow_the_articles(generated: Generated) -> None:
    articles = generated.by_id()
    for entry in parse_bib(generated.read("cite/archive.bib")).entries:
        a, f = articles[entry.key], {k: v.value for k, v in entry.fields_dict.items()}
        assert f["title"] == a["title"] or a["id"] == HOSTILE  # the hostile title: next test
        assert f.get("journal") == (a["outlet"] or a["agency"])
        parts = precision(a["date"])
        assert ("year" in f, "month" in f) == (parts >= 1, parts >= 2), (a["id"], a["date"], f)
        assert f.get("date") == (str(a["date"]) if a["date"] else None)  # never completed to a day
        assert "day" not in f
        assert ("Date inferred" in f["note"]) == (a["date_certainty"] == "inferred")
        assert ("eventtitle" in f) == bool(a["event"])


def test_bibtex_escapes_tex_specials_so_the_title_round_trips(fixture_docs: Generated) -> None:
    raw = fixture_docs.by_id()[HOSTILE]["title"]
    assert all(ch in raw for ch in "\\{}%$&#_^~"), "the fixture must hold every TeX special"
    text = fixture_docs.read(f"cite/{HOSTILE}.bib")
    plain = bibtexparser.parse_string(text)  # no decoding: the field as written
    (entry,) = plain.entries
    assert not plain.failed_blocks
    written = entry.fields_dict["title"].value
    assert not re.search(r"(?<!\\)[%$#&_]", written), f"unescaped TeX special in {written!r}"
    (decoded,) = parse_bib(text).entries
    # pylatexenc decodes \textasciicircum (LaTeX's ASCII ^) as U+02C6; everything else is exact.
    assert decoded.fields_dict["title"].value.replace("\u02c6", "^") == raw


# --------------------------------------------------------------------------- RIS
def test_ris_files_parse_with_rispy(generated: Generated) -> None:
    articles = generated.by_id()
    entries = rispy.loads(generated.read("cite/archive.ris"))
    assert sorted(e["accession_number"] for e in entries) == sorted(articles)
    for e in entries:
        a = articles[e["accession_number"]]
        assert e["type_of_reference"] == "NEWS"
        assert e["title"] == " ".join(a["title"].split())
        assert e.get("secondary_title") == (a["outlet"] or a["agency"])
        assert e["name_of_database"] == load_archive_info().name
        if a["date"]:
            y, *rest = str(a["date"]).split("-")
            assert e["year"] == y
            assert e["date"] == "/".join([y, *rest, *[""] * (2 - len(rest))]) + "/"
        else:
            assert "year" not in e and "date" not in e
        assert rispy.loads(generated.read(f"cite/{a['id']}.ris"))[0]["title"] == e["title"]


# --------------------------------------------------------------------------- CSL-JSON
@pytest.fixture(scope="module")
def csl_validator() -> jsonschema.Draft3Validator:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft3Validator.check_schema(schema)
    return jsonschema.Draft3Validator(schema)


def test_csl_json_files_match_the_official_schema(generated: Generated, csl_validator) -> None:
    files = sorted((generated.docs / "cite").glob("*.json"))
    assert len(files) == len(generated.articles) + 1
    for path in files:
        errors = [f"{path.name}: {e.message}" for e in csl_validator.iter_errors(json.loads(path.read_text("utf-8")))]
        assert not errors, "\n".join(errors)


def test_the_schema_check_rejects_a_bad_item(csl_validator) -> None:
    """Guards the guard: an invented key and a four-part date must fail."""
    bad = [{"id": "x", "type": "article-newspaper", "issued": {"date-parts": [[2023, 7, 16, 1]]}, "outlet": "y"}]
    assert len(list(csl_validator.iter_errors(bad))) == 2


def test_csl_items_carry_event_archive_and_known_date_parts(generated: Generated) -> None:
    articles = generated.by_id()
    for item in json.loads(generated.read("cite/archive.json")):
        a = articles[item["id"]]
        assert item["type"] == "article-newspaper"
        assert item["archive"] == load_archive_info().name and item["archive_location"] == a["id"]
        if a["date"]:
            assert item["issued"]["date-parts"] == [[int(p) for p in str(a["date"]).split("-")]]
        else:
            assert "issued" not in item
        assert ("event" in item and "event-date" in item) == bool(a["event"])


def test_stated_author_and_url_are_cited(fixture_docs: Generated) -> None:
    item = json.loads(fixture_docs.read("cite/stated-author-url-month-date.json"))[0]
    assert item["author"] == [{"literal": "Maria Lindqvist"}]
    assert item["URL"] == "https://gazette.example/2021/09/dredging"
    ris = rispy.loads(fixture_docs.read("cite/stated-author-url-month-date.ris"))[0]
    assert ris["authors"] == ["Maria Lindqvist"] and ris["urls"] == [item["URL"]]
    others = json.loads(fixture_docs.read("cite/archive.json"))
    assert not any("author" in i or "URL" in i for i in others if i["id"] != item["id"])


# --------------------------------------------------------------------------- the page
def test_every_article_page_has_a_citation_box_with_working_downloads(generated: Generated) -> None:
    for a in generated.articles:
        page = frontmatter.loads(generated.read(f"articles/{a['id']}.md"))
        box = page.content.split('<div class="archive-cite"', 1)
        assert len(box) == 2, f"{a['id']}: no citation box"
        assert "**Chicago:**" in box[1] and "**APA:**" in box[1]
        links = re.findall(r"\]\(\.\./(cite/[^)]+)\)", box[1])
        assert sorted(links) == sorted([f"cite/{a['id']}.{x}" for x in ("bib", "ris", "json")]
                                       + [f"cite/archive.{x}" for x in ("bib", "ris", "json")])
        assert all((generated.docs / rel).is_file() for rel in links)
        assert page["citation"]["title"] == a["title"]


def test_inferred_dates_are_bracketed_and_stated_ones_are_not(seeds_docs: Generated) -> None:
    certainties = set()
    for a in seeds_docs.articles:
        box = seeds_docs.read(f"articles/{a['id']}.md").split('<div class="archive-cite"', 1)[1]
        chicago_line = next(line for line in box.splitlines() if line.startswith("**Chicago:**"))
        certainties.add(a["date_certainty"])
        assert ("[" in chicago_line) == (a["date_certainty"] == "inferred"), chicago_line
    assert certainties >= {"stated", "inferred"}, "the seeds should hold both kinds of date"


def test_the_hostile_title_is_escaped_in_the_page_markdown(fixture_docs: Generated) -> None:
    box = fixture_docs.read(f"articles/{HOSTILE}.md").split('<div class="archive-cite"', 1)[1]
    assert "<script>" not in box and "&lt;script&gt;" in box
    assert r"under\_score" in box  # Markdown emphasis syntax escaped too


# --------------------------------------------------------------------------- strings
def _item(**changes):
    from build_scripts.cite import CiteItem

    base = dict(id="x-1", title="Harbour reopens", author=None, container="Harbour Gazette", agency=None,
                date=PartialDate(2021, 9), inferred=False, date_basis="", language="en", tags=(), event=None,
                seed_sha256=None, archive="News Capture Archive", url=None)
    base.update(changes)
    return CiteItem(**base)


@pytest.mark.parametrize(("date", "inferred", "want_chicago", "want_apa"), [
    (PartialDate(2021, 9, 14), False, "September 14, 2021.", "(2021, September 14)."),
    (PartialDate(2021, 9), False, "September 2021.", "(2021, September)."),
    (PartialDate(2021), False, "2021.", "(2021)."),
    (PartialDate(2021, 9), True, "[September 2021].", "(2021, September) [date inferred]."),
    (None, False, "n.d.", "(n.d.)."),
])
def test_chicago_and_apa_dates_keep_their_precision(date, inferred, want_chicago, want_apa) -> None:
    item = _item(date=date, inferred=inferred)
    assert f"*Harbour Gazette*, {want_chicago}" in chicago(item, markdown=True)
    assert f"Harbour reopens. {want_apa}" in apa(item)


def test_chicago_and_apa_with_author_and_url() -> None:
    item = _item(author="Maria Lindqvist", url="https://archive.example/articles/x-1/",
                 original_url="https://gazette.example/x")
    assert chicago(item) == ("Maria Lindqvist. “Harbour reopens.” Harbour Gazette, September 2021. "
                             "News Capture Archive, x-1. https://gazette.example/x.")
    assert apa(item) == ("Maria Lindqvist. (2021, September). Harbour reopens. Harbour Gazette. "
                         "News Capture Archive, x-1. https://gazette.example/x")


# --------------------------------------------------------------------------- archive.yaml
def test_archive_description_is_validated(tmp_path: Path) -> None:
    path = tmp_path / "archive.yaml"
    path.write_text("name: My Archive\nurl: https://example.org/archive\n", encoding="utf-8")
    assert load_archive_info(path) == ArchiveInfo("My Archive", "https://example.org/archive/")
    for text, key in [("name: ''\n", "name"), ("name: A\nurl: ftp://x\n", "url"), ("name: A\nlicence: x\n", "licence"),
                      ("name: A\nurl: [1]\n", "url")]:
        path.write_text(text, encoding="utf-8")
        with pytest.raises(KnowledgeError) as err:
            load_archive_info(path)
        assert err.value.key == key, text


# --------------------------------------------------------------------------- curators' edits
def test_citations_follow_a_curators_title_edit(tmp_path: Path) -> None:
    first = generate(REPO / "seeds", tmp_path)
    article = sorted(first.articles, key=lambda a: a["id"])[0]
    page = first.docs / "articles" / f"{article['id']}.md"
    old, new = article["title"], "A curator's corrected headline"
    text = page.read_text(encoding="utf-8")
    title_line = next(line for line in text.splitlines() if line.startswith("title:"))
    page.write_text(text.replace(title_line, f"title: {new}", 1), encoding="utf-8")
    for _ in range(2):  # the edit holds on every later build, not only the next one
        again = generate(REPO / "seeds", tmp_path)
        edited = frontmatter.loads(again.read(f"articles/{article['id']}.md"))
        assert edited["title"] == new and edited["citation"]["title"] == new
        box = edited.content.split('<div class="archive-cite"', 1)[1]
        assert f"“{new}.”" in box and old not in box
        (entry,) = parse_bib(again.read(f"cite/{article['id']}.bib")).entries
        assert entry.fields_dict["title"].value == new
        assert again.by_id()[article["id"]]["title"] == new
