"""Linking (build_scripts/link.py, autoevents.py): related articles, automatic events and
their promotion, people and furniture, on the seeds and the quality corpus."""
from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter
import pytest
import yaml
from click.testing import CliRunner

from build_scripts.cli import main
from build_scripts.knowledge import load_knowledge
from build_scripts.link import NEIGHBOURS, POSTING_CAP, QUERY_TERMS, build_profiles, link_archive, similar_articles
from build_scripts.render_analysis import promotion_entry
from tests.test_quality import corpus_archive
from tests.test_reuse import articles_of

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "captures"
DIDI = ["c11-reuters-didi-fine", "c12-xinhua-didi-fine", "c13-scmp-didi-fine", "c14-syndicated-didi-fine",
        "c29-caixin-didi-fine"]


@pytest.fixture(scope="module")
def seeds():
    return link_archive(list(articles_of(ROOT / "seeds")), load_knowledge(ROOT / "knowledge"))


def test_related_articles_are_ranked_with_their_reasons(seeds):
    related = seeds.related["002"]
    assert related[0].article_id == "003"
    assert "same event" in related[0].reason and "text similarity" in related[0].reason
    assert "both name" in related[0].reason and "Li Keqiang" in related[0].reason
    assert [r.score for r in related] == sorted((r.score for r in related), reverse=True)
    assert seeds.related["000"][0].article_id == "001"  # the other report of the 2023 conference


def test_near_duplicates_are_not_listed_as_related():
    archive = corpus_archive()
    related = {r.article_id for r in archive.related["c04-xinhua-wire-2018-conference"]}
    assert "c05-portal-copy-2018-conference" not in related
    assert related  # other coverage of the same event is


def test_candidate_generation_is_bounded_per_article():
    arts = list(articles_of(CORPUS))
    profiles = build_profiles(arts)
    neighbours = similar_articles(profiles)
    assert all(len(ns) <= NEIGHBOURS for ns in neighbours.values())
    assert QUERY_TERMS * POSTING_CAP <= 1000  # look-ups per article, whatever the corpus size
    sims = dict(neighbours["c15-xinhua-wic-2022"])
    assert sims["c16-daily-wic-2022"] > 0.5  # two reports of one summit


def test_off_topic_captures_stay_unlinked():
    archive = corpus_archive()
    for aid in ("c17-sport-off-topic", "c18-markets-off-topic", "c19-cyberfirm-off-topic", "c28-travel-off-topic",
                "c21-premier-li-2018", "c22-premier-li-2023", "c27-commentary-undated"):
        assert archive.by_id[aid].event is None, (aid, archive.by_id[aid].event_basis)


def test_premier_li_is_whoever_held_the_office_then():
    archive = corpus_archive()
    assert [m.name for m in archive.by_id["c21-premier-li-2018"].people][:1] == ["Li Keqiang"]
    assert [m.name for m in archive.by_id["c22-premier-li-2023"].people][:1] == ["Li Qiang"]


def test_names_in_captions_and_teasers_are_not_people_of_the_article():
    a = corpus_archive().by_id["c23-data-security-law-2021"]
    assert {m.name for m in a.people} == {"Li Zhanshu"}  # not Li Keqiang (caption), not Wang Yi (teaser)
    b = corpus_archive().by_id["c06-times-2023-conference"]
    assert "Rishi Sunak" not in {m.name for m in b.people}


def test_automatic_event_groups_the_reports_of_one_story():
    archive = corpus_archive()
    events = {archive.by_id[aid].event for aid in DIDI}
    assert len(events) == 1
    (event_id,) = events
    event = next(e for e in archive.events if e.id == event_id)
    assert not event.curated and event.id.startswith("auto-2022-07-21-")
    assert event.start.isoformat() == event.end.isoformat() == "2022-07-21"
    assert "didi" in event.keywords and set(event.people) == {"cheng-wei", "jean-liu"}
    assert all("grouped automatically" in archive.by_id[aid].event_basis for aid in DIDI)


def _build(seeds: Path, knowledge: Path, docs: Path):
    args = ["build", "--seeds", str(seeds), "--knowledge", str(knowledge), "--docs", str(docs)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    return result


def test_automatic_event_page_and_its_promotion(tmp_path: Path):
    seeds, knowledge, docs = CORPUS, tmp_path / "knowledge", tmp_path / "docs"
    shutil.copytree(ROOT / "knowledge", knowledge)
    _build(seeds, knowledge, docs)
    pages = [frontmatter.load(p) for p in (docs / "events").glob("auto-*.md")]
    (post,) = [p for p in pages if p["start"] == "2022-07-21"]
    assert post["curated"] is False
    assert "Uncurated event, grouped automatically" in post.content and "knowledge/events.yaml" in post.content
    coverage = sorted(p.stem for p in (docs / "articles").glob("c*.md") if frontmatter.load(p)["event"] == post["id"])
    assert coverage == sorted(DIDI)
    assert frontmatter.load(docs / "articles" / "c17-sport-off-topic.md")["event"] is None

    # the curator promotes it: the entry shown on the page goes into knowledge/events.yaml
    archive = corpus_archive()
    event = next(e for e in archive.events if e.id == post["id"])
    entry = promotion_entry(event)
    assert entry in "\n".join(line[8:] for line in post.content.splitlines())  # shown as is on the page
    with (knowledge / "events.yaml").open("a", encoding="utf-8") as f:
        f.write("\n" + entry)
    assert any(e.id == post["id"] for e in load_knowledge(knowledge).events)
    _build(seeds, knowledge, docs)
    promoted = frontmatter.load(docs / "events" / f"{post['id']}.md")
    assert promoted["curated"] is True and "Uncurated event" not in promoted.content
    for name in DIDI:
        article = frontmatter.load(docs / "articles" / f"{name}.md")
        assert article["event"] == post["id"], name
    data = yaml.safe_load((knowledge / "events.yaml").read_text(encoding="utf-8"))
    assert data[-1]["id"] == post["id"]


def test_features_from_the_per_capture_stage_link_exactly_as_fresh_ones():
    """Features computed next to extraction (and cached) give the same archive; a feature
    whose article was retitled since (a curator's edit) is not used, but recomputed."""
    from dataclasses import replace

    from build_scripts import features

    k = load_knowledge(ROOT / "knowledge")
    arts = list(articles_of(CORPUS))
    pre = {a.id: features.compute(a, k.formulations) for a in arts}
    assert link_archive(arts, k, precomputed=pre) == link_archive(arts, k)
    target = next(a for a in arts if pre[a.id].uses)  # an article that uses a tracked formulation
    retitled = [replace(a, title="Untitled dispatch") if a.id == target.id else a for a in arts]
    fresh = features.features_for(retitled, k.formulations, pre)
    renamed = next(a for a in retitled if a.id == target.id)
    assert fresh[target.id] != pre[target.id] and fresh[target.id].digest == features.text_digest(renamed)
    assert all(fresh[a.id] is pre[a.id] for a in arts if a.id != target.id)  # the others are reused
    assert link_archive(retitled, k, precomputed=pre) == link_archive(retitled, k)


def test_text_reuse_found_in_a_forked_process_links_exactly_as_in_this_one(monkeypatch):
    """With ``fork``, text reuse runs in a child process beside similarity: the archive and
    the verified pairs remembered for the next build are the same as without."""
    from build_scripts import forked
    from build_scripts.reuse import PairMemo

    monkeypatch.setattr(forked, "FORK_ARTICLES", 0)  # the test corpus is small
    k = load_knowledge(ROOT / "knowledge")
    arts = list(articles_of(CORPUS))
    here, there = PairMemo(), PairMemo()
    forked = link_archive(arts, k, pairs=there, fork=True)
    assert forked == link_archive(arts, k, pairs=here, fork=False)
    assert there.used == here.used and any(v is not None for v in here.used.values())
    assert any(forked.reuse.values())


def _neighbours_term_at_a_time(profiles):
    """The reference: each article's candidates scored by a loop over its query terms and
    their capped posting lists, the best NEIGHBOURS kept (ties: the first id)."""
    import heapq
    from itertools import islice

    from build_scripts.link import cosine

    postings = {}
    for aid in sorted(profiles):
        for t, w in profiles[aid].items():
            postings.setdefault(t, []).append((-w, aid))
    postings = {t: sorted(p)[:POSTING_CAP] for t, p in postings.items()}
    out, exact = {}, {}
    for aid, profile in sorted(profiles.items()):
        scores = {}
        for t in islice(profile, QUERY_TERMS):
            for x, other in postings[t]:
                scores[other] = scores.get(other, 0.0) - profile[t] * x
        scores.pop(aid, None)
        for _, o in heapq.nsmallest(NEIGHBOURS, [(-v, o) for o, v in scores.items()]):
            exact[aid, o] = cosine(profile, profiles[o])
        out[aid] = sorted(((o, round(exact[aid, o], 4)) for (a, o) in exact if a == aid), key=lambda kv: (-kv[1], kv[0]))
    return out, exact


@pytest.mark.parametrize("corpus", ["quality corpus", "random profiles, capped postings"])
def test_sparse_candidate_scores_equal_a_loop_over_the_terms(corpus):
    """The candidates' scores come from one sparse matrix product: the same neighbours, in
    the same order, with the same cosines as scoring them term by term (ties included)."""
    import random

    if corpus == "quality corpus":
        profiles = build_profiles(list(articles_of(CORPUS)))
    else:
        rng = random.Random(11)
        profiles = {}
        for i in range(400):
            chosen = rng.sample(range(300), 40)
            weights = sorted(((rng.choice((1.0, 2.0)), f"t{k}") for k in chosen), reverse=True)  # ties everywhere
            norm = sum(w * w for w, _ in weights) ** 0.5
            profiles[f"a{i:03d}"] = {t: w / norm for w, t in weights}
    expected, expected_exact = _neighbours_term_at_a_time(profiles)
    exact = {}
    assert list(similar_articles(profiles, exact).items()) == list(expected.items())
    assert_same_cosines(exact, expected_exact)
    assert sum(len(v) for v in expected.values()) > len(profiles)


def assert_same_cosines(found: dict, expected: dict) -> None:
    """The same pairs, each cosine equal to the exactly rounded one (``cosine``) to within
    rounding, and each the same both ways round (a sum over the terms in one order)."""
    assert found.keys() == expected.keys()
    assert all(abs(found[pair] - expected[pair]) <= 1e-12 for pair in expected)
    assert all(found[a, b] == found[b, a] for a, b in found if (b, a) in found)


def test_the_build_imports_numpy_and_scipy_only_to_link():
    """A rebuild whose inputs are unchanged never links: it must not pay for importing
    NumPy and SciPy (a third of a no-op rebuild's time)."""
    import subprocess
    import sys

    code = "import sys, build_scripts.cli, build_scripts.build; print(sorted({'numpy', 'scipy'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize("profiles", [{}, {"only": {"x": 1.0}}, {"a": {}, "b": {}},
                                      {"a": {"x": 0.6, "y": 0.8}, "b": {"x": 1.0}, "c": {}}],
                         ids=["no articles", "one article", "no terms", "one without terms"])
def test_similar_articles_of_tiny_or_empty_profiles(profiles):
    expected, expected_exact = _neighbours_term_at_a_time(profiles)
    exact = {}
    assert similar_articles(profiles, exact) == expected
    assert_same_cosines(exact, expected_exact)
