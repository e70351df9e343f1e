"""The benchmark corpus (benchmarks/generate.py): deterministic, ~5% re-captures, unique
bodies of 600-900 words, realistic furniture -- and the pipeline's cleaner takes the
furniture off and keeps the article, on a sample of 50 generated captures."""
from __future__ import annotations

import datetime as dt
import hashlib
import random
import re
from collections import Counter

import pytest
import yaml

from benchmarks.generate import TEASER_ABOVE, Corpus, write_corpus
from build_scripts.clean import CleanOptions, clean, normalise_line
from build_scripts.extract import ExtractOptions
from build_scripts.ingest import IngestOptions, decode
from build_scripts.knowledge import load_knowledge
from build_scripts.parallel import StageOptions, analyse
from build_scripts.records import SourceFile

SAMPLE = 50


@pytest.fixture(scope="module")
def corpus(repo_root) -> Corpus:
    return Corpus(seed=1, knowledge=repo_root / "knowledge")


@pytest.fixture(scope="module")
def captures(corpus: Corpus) -> list:
    return list(corpus.captures(2000))


def test_same_seed_same_files_and_capture_i_does_not_depend_on_n(tmp_path, repo_root) -> None:
    def files(n: int, seed: int, out: str) -> dict[str, bytes]:
        write_corpus(n, tmp_path / out, seed, repo_root / "knowledge")
        return {p.relative_to(tmp_path / out).as_posix(): p.read_bytes()
                for p in sorted((tmp_path / out).rglob("*.txt"))}

    first, again, more = files(40, 1, "a"), files(40, 1, "b"), files(60, 1, "c")
    other_seed = files(40, 2, "d")
    assert len(first) == 40 and first == again
    assert all(more[rel] == data for rel, data in first.items()), "capture i changed with --n"
    assert not set(first.values()) & set(other_seed.values()), "another seed repeated captures"
    manifest = yaml.safe_load((tmp_path / "a" / "corpus.json").read_text(encoding="utf-8"))
    assert [r["rel"] for r in manifest["captures"]] == [
        c.rel for c in Corpus(1, repo_root / "knowledge").captures(40)]


def test_about_five_percent_are_recaptures_of_the_same_body_in_other_furniture(captures) -> None:
    recaptures = [c for c in captures if c.recapture_of is not None]
    assert 0.035 <= len(recaptures) / len(captures) <= 0.065, f"{len(recaptures)} of {len(captures)}"
    for c in recaptures:
        original = captures[c.recapture_of]
        assert original.recapture_of is None
        assert c.story.paragraphs == original.story.paragraphs and c.story.title == original.story.title
        assert c.text != original.text, f"capture {c.index} repeats {original.index} byte for byte"


def test_bodies_are_unique_and_600_to_900_words(captures) -> None:
    originals = [c for c in captures if c.recapture_of is None]
    assert len({c.story.paragraphs for c in originals}) == len(originals)
    words = [c.story.words for c in originals]
    assert min(words) >= 600 and max(words) <= 900, (min(words), max(words))
    sentences = Counter(s for c in originals[:500] for p in c.story.paragraphs
                        for s in re.split(r"(?<=[.!?\"])\s+", p))
    repeated = sum(n for n in sentences.values() if n > 1)
    assert repeated / sum(sentences.values()) < 0.01, sentences.most_common(5)


def test_the_vocabulary_has_a_long_tail_and_grows_like_real_text(captures) -> None:
    """Heaps' law: news text of 1.4 million words (2,000 articles) uses tens of thousands of
    distinct words, and four times the text uses about twice the words, not four times."""
    originals = [c for c in captures if c.recapture_of is None]

    def vocabulary(stories) -> Counter:
        return Counter(w.lower() for c in stories for p in c.story.paragraphs for w in re.findall(r"[A-Za-z]+", p))

    whole, quarter = vocabulary(originals), vocabulary(originals[:len(originals) // 4])
    assert len(whole) > 15_000, len(whole)
    assert 1.8 <= len(whole) / len(quarter) <= 3.5, (len(quarter), len(whole))
    once = sum(1 for n in whole.values() if n == 1)
    assert 0.3 <= once / len(whole) <= 0.8, once / len(whole)  # words used once: the tail
    top = sum(n for _, n in whole.most_common(100)) / sum(whole.values())
    assert top > 0.4, top  # and a head of common words carries much of the text


def test_furniture_and_dates_vary_like_real_captures(captures) -> None:
    texts = "\n".join(c.text for c in captures[:400])
    kinds = Counter(kind for c in captures[:400] for kind, _ in c.furniture)
    for kind in ("cookie banner", "navigation", "foreign language", "breadcrumbs", TEASER_ABOVE, "date stamp",
                 "byline", "source line", "share widget", "advertising", "inline teaser", "photo caption", "tags",
                 "next story", "related stories", "newsletter", "comments", "footer"):
        assert kinds[kind] >= 5, f"furniture kind {kind!r} appears {kinds[kind]} times in 400 captures"
    for pattern in (r"^[A-Z][a-z]+ \d{1,2}, \d{4}$", r"^\d{1,2} [A-Z][a-z]+ \d{4}$", r"^\d{4}-\d{2}-\d{2}$",
                    r"^[A-Z ]+, [A-Z][a-z]+ \d{1,2} -- ", r"^[A-Z ]+, [A-Z][a-z]+ \d{1,2}, \d{4} -- ",
                    r"^Source: .+ \| \d{4}-\d{2}-\d{2} \| Editor: .+$", r"[\u4e00-\u9fff]"):
        assert re.search(pattern, texts, re.M), f"no capture matches {pattern!r}"


def test_people_and_events_come_from_the_knowledge_files_and_beyond(captures, repo_root) -> None:
    people = {p["name"] for p in yaml.safe_load((repo_root / "knowledge" / "people.yaml").read_text("utf-8"))}
    events = {e["id"]: e for e in yaml.safe_load((repo_root / "knowledge" / "events.yaml").read_text("utf-8"))}
    named = Counter(name for c in captures for name in c.story.people)
    assert sum(n for name, n in named.items() if name in people) > 50
    assert sum(1 for name in named if name not in people) > 500, "too few invented people"
    reporting = [c for c in captures if c.story.event]
    assert 0.03 < len(reporting) / len(captures) < 0.15
    for c in reporting:
        event = events[c.story.event]
        assert event["start"] <= c.story.date <= event["end"] + dt.timedelta(days=2)
        assert event["title"] in " ".join(c.story.paragraphs)


def _source(capture) -> SourceFile:
    data = capture.text.encode("utf-8")
    return SourceFile(capture.rel, data, hashlib.sha256(data).hexdigest(), len(data))


def _cleaned(capture):
    return clean(decode(_source(capture)))


def test_the_cleaner_removes_the_injected_furniture_and_keeps_the_article(captures) -> None:
    sample = random.Random(20).sample(captures, SAMPLE)
    lost, kept, headlines, with_teasers, teasers_kept = [], [], [], 0, []
    for c in sample:
        cleaned = _cleaned(c)
        blocks = [b.text for b in cleaned.blocks] + [i for b in cleaned.blocks for i in b.items]
        text = "\n".join(blocks)
        lost += [(c.rel, p[:70]) for p in c.body if normalise_line(p) not in blocks]
        present = [(kind, line) for kind, line in c.furniture
                   if normalise_line(line) in blocks or (len(line.split()) > 6 and normalise_line(line) in text)]
        kept += [(c.rel, kind, line) for kind, line in present if kind != TEASER_ABOVE]
        with_teasers += bool(c.furniture_of(TEASER_ABOVE))
        if any(kind == TEASER_ABOVE for kind, _ in present):
            teasers_kept.append((c.rel, cleaned.headline))
        elif cleaned.headline != c.story.title:
            headlines.append((c.rel, cleaned.headline, c.story.title))
    assert not lost, f"article paragraphs lost by the cleaner: {lost}"
    assert not kept, f"furniture kept as article text: {kept}"
    assert not headlines, f"wrong headlines: {headlines}"
    # Teasers of other stories above the headline are known only by sharing little
    # vocabulary with the article: the one kind of furniture the cleaner may miss (and
    # then take a teaser's title for the headline). Measured: about 1 capture in 100.
    assert with_teasers >= 3, "the sample has too few captures with teasers above the headline"
    assert len(teasers_kept) <= max(1, with_teasers // 5), (
        f"teasers above the headline kept in {len(teasers_kept)} of {with_teasers} captures: {teasers_kept}")


def test_the_people_found_are_the_story_people_not_its_organizations(captures, repo_root) -> None:
    """People extraction scored against the generator's manifest, on a sample: invented
    organizations speak like people ("the Bureau of Civil Outbreak said", "Apex Networks
    urged") and must not be taken for them; everyone whose full name the text prints must
    be found. (A story may name someone by surname alone: those cannot be found, and are
    left out of the recall.) Measured on 2,000 captures: precision 0.997 (0.62 before
    names.yaml's organization_words)."""
    options = ExtractOptions.from_knowledge(load_knowledge(repo_root / "knowledge"))
    stage = StageOptions(IngestOptions(), CleanOptions())
    found = missed = wrong = 0
    for c in random.Random(21).sample(captures, 200):
        got = {m.name for m in analyse(_source(c), "x", stage, options).people}
        printed = {name for name in c.story.people if name in c.text}
        found, missed = found + len(got & printed), missed + len(printed - got)
        wrong += len(got - set(c.story.people))
    assert found / (found + wrong) >= 0.95, f"precision {found / (found + wrong):.3f}"
    assert found / (found + missed) >= 0.95, f"recall {found / (found + missed):.3f}"
