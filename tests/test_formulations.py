"""Formulations tracker (build_scripts/formulations.py, render_analysis.py) on the seeds."""
from __future__ import annotations

from pathlib import Path

import frontmatter
import pytest
from click.testing import CliRunner

from build_scripts.cli import main
from build_scripts.formulations import _grams, discover, find_uses, flat, wording_regex
from build_scripts.knowledge import load_knowledge
from build_scripts.records import Formulation, Knowledge
from tests.test_reuse import _article, articles_of

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def uses():
    k = load_knowledge(ROOT / "knowledge")
    return {fid: {u.article_id: u for u in us} for fid, us in find_uses(articles_of(ROOT / "seeds"), k.formulations).items()}


def test_seeds_use_the_tracked_formulations(uses):
    assert set(uses["positive-energy"]) == {"001"}
    assert set(uses["military-civil-fusion"]) == {"002", "003", "004"}  # "military-civil convergence" in 004
    assert uses["military-civil-fusion"]["004"].variant == "military-civil convergence"
    assert set(uses["digital-silk-road"]) == {"002"}
    assert set(uses["no-national-security-without-cybersecurity"]) == {"003"}
    assert set(uses["community-shared-future-cyberspace"]) == {"000", "001"}
    assert uses["community-shared-future-cyberspace"]["000"].variant == "community of a shared future in cyberspace"
    assert {"000", "001", "002", "003"} <= set(uses["cyber-power"])
    assert uses["cyber-power"]["003"].count == 3  # "strength in cyberspace", title included


def test_snippet_is_the_sentence_of_the_first_use(uses):
    use = uses["digital-silk-road"]["002"]
    assert use.snippet.startswith("He called for strengthening cooperation with countries along the Belt and Road")
    assert use.snippet.endswith("to build a digital silk road of the 21st century.")


@pytest.mark.parametrize("text", ["military civil fusion", "Military-Civil Fusion", "military-civil\nfusion",
                                  "MILITARY - CIVIL FUSION"])
def test_wordings_match_across_case_hyphens_and_spaces(text):
    assert wording_regex(("military-civil fusion",)).search(text)
    assert flat(text).replace(" - ", " ").replace("  ", " ") in ("military civil fusion",)


def test_wordings_match_whole_words_only():
    assert not wording_regex(("positive energy",)).search("positive energyfield")


def test_recurring_phrases_are_candidates_not_tracked_names_or_furniture():
    texts = ["The new data rules set out a digital sovereignty plan for the region. Xi Jinping spoke.",
             "Officials said the digital sovereignty plan would take effect in May. Share this article",
             "Critics of the digital sovereignty plan warned of costs. Xi Jinping spoke. The new data rules passed.",
             "A digital sovereignty plan was debated in parliament, and the new data rules were praised by firms."]
    arts = [_article(f"p{i}", text) for i, text in enumerate(texts)]
    knowledge = Knowledge(people=load_knowledge(ROOT / "knowledge").people,
                          formulations=(Formulation("data-rules", "new data rules", ("new data rules",)),))
    phrases = {p.text: p for p in discover(arts, knowledge, {})}
    assert list(phrases) == ["digital sovereignty plan"] and phrases["digital sovereignty plan"].articles == 4
    # "digital sovereignty" only ever stands inside the longer phrase; "data rules" is tracked;
    # "xi jinping spoke" names a curated person; "share this article" is furniture


def test_copies_of_one_text_count_once():
    text = ("Leaders pledged a digital sovereignty plan for the whole region and its partners over the next decade, "
            "with new funds for data centres, undersea cables and training for engineers in every member state, "
            "and a review of the progress made after three years of work by a joint committee of experts.")
    arts = [_article(f"q{i}", text) for i in range(5)]
    from build_scripts.reuse import find_reuse
    assert discover(arts, Knowledge(), find_reuse(arts)) == ()  # five copies of one article are one article


def test_grams_start_and_end_on_content_words():
    grams = {" ".join(g) for g in _grams("The building of a cyber power is the goal. Country leaders agree.")}
    assert {"cyber power", "building of a cyber", "country leaders"} <= grams
    assert "goal country" not in grams  # never across sentences
    assert all(g.split()[0] not in ("the", "of", "a", "is") and g.split()[-1] not in ("the", "of", "a", "is")
               for g in grams)


def test_formulation_pages(tmp_path):
    docs = tmp_path / "docs"
    result = CliRunner().invoke(main, ["build", "--seeds", str(ROOT / "seeds"), "--knowledge", str(ROOT / "knowledge"),
                                       "--docs", str(docs)])
    assert result.exit_code == 0, result.output
    page = frontmatter.load(docs / "formulations" / "military-civil-fusion.md")
    assert page["articles"] == 3 and page["first_use"] == "2016-04" and page["last_use"] == "2018-04-21"
    assert "military-civilian integration" in page.content and "Symposium on Cybersecurity" in page.content
    assert "## Events" in page.content and "](../articles/" in page.content
    index = frontmatter.load(docs / "formulations" / "index.md")
    assert "[military-civil fusion](military-civil-fusion.md) | 3 |" in index.content
    assert "## Recurring phrases" in index.content
    article = (docs / "articles").glob("002-*.md").__next__().read_text(encoding="utf-8")
    assert "## Formulations" in article and "../formulations/digital-silk-road.md" in article
    assert "## Shared text" in article and "Shares 52% of its text" in article
