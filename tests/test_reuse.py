"""Text reuse (build_scripts/reuse.py): shared passages, near-duplicates, linear candidates."""
from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from pathlib import Path

import pytest

from build_scripts.clean import CleanOptions
from build_scripts.extract import ExtractOptions
from build_scripts.ingest import IngestOptions, read_source
from build_scripts.knowledge import load_knowledge
from build_scripts.parallel import StageOptions, analyse
from build_scripts.records import Article, Block
from build_scripts.reuse import POSTING_CAP, article_text, candidate_pairs, documents, families, find_reuse

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "captures"


@lru_cache(maxsize=4)
def articles_of(folder: Path) -> tuple[Article, ...]:
    options = ExtractOptions.from_knowledge(load_knowledge(ROOT / "knowledge"))
    stage = StageOptions(IngestOptions(), CleanOptions())
    return tuple(analyse(read_source(p, folder, stage.ingest), p.stem[:3] if folder.name == "seeds" else p.stem,
                         stage, options) for p in sorted(folder.glob("*.txt")))


@pytest.fixture(scope="module")
def seeds():
    arts = articles_of(ROOT / "seeds")
    return {a.id: a for a in arts}, find_reuse(arts)


def test_003_copies_most_of_002s_xinhua_sentences(seeds):
    arts, reuse = seeds
    r = next(r for r in reuse["003"] if r.article_id == "002")
    assert r.kind == "reuse" and r.share >= 0.5 and r.words >= 300
    back = next(r for r in reuse["002"] if r.article_id == "003")
    assert back.share >= 0.5
    for passage in r.passages:  # every passage stands word for word in both texts
        words = passage.split()
        assert len(words) >= 8
        assert passage in article_text(arts["003"])
    assert any("crack down on criminal offenses including hacking" in p for p in r.passages)


def test_000_and_001_render_the_same_xinhua_story_differently(seeds):
    _, reuse = seeds
    r = next(r for r in reuse["000"] if r.article_id == "001")
    assert 0.05 <= r.share <= 0.3 and r.kind == "reuse"
    assert any("a member of the Standing Committee of the Political Bureau" in p for p in r.passages)


def test_unrelated_articles_share_nothing(seeds):
    _, reuse = seeds
    assert "004" not in reuse  # the 2016 report shares no passage of 8+ words with the others
    assert {r.article_id for r in reuse["002"]} == {"003"}


def test_same_story_in_other_furniture_is_a_near_duplicate():
    arts = {a.id: a for a in articles_of(CORPUS)}
    reuse = find_reuse(list(arts.values()))
    kinds = {(aid, r.article_id): r.kind for aid, rs in reuse.items() for r in rs}
    assert kinds[("c04-xinhua-wire-2018-conference", "c05-portal-copy-2018-conference")] == "near-duplicate"
    assert kinds[("c14-syndicated-didi-fine", "c11-reuters-didi-fine")] == "near-duplicate"
    # two outlets rewriting the same news share little or nothing word for word
    assert kinds.get(("c11-reuters-didi-fine", "c13-scmp-didi-fine"), "none") == "none"
    assert sum(k == "near-duplicate" for k in kinds.values()) == 4  # two pairs, both ways


def test_byte_identical_captures_are_exact_duplicates(seeds):
    arts, _ = seeds
    copy = replace(arts["002"], id="002-copy")
    reuse = find_reuse([arts["002"], copy, arts["003"]])
    r = next(r for r in reuse["002-copy"] if r.article_id == "002")
    assert (r.kind, r.share) == ("exact duplicate", 1.0)
    assert families(["002", "002-copy", "003"], reuse) == {"002": "002", "002-copy": "002", "003": "002"}


def _article(aid: str, text: str) -> Article:
    base = articles_of(ROOT / "seeds")[0]
    return replace(base, id=aid, seed_sha256=aid, blocks=(Block("paragraph", text),))


def test_many_copies_of_one_text_give_linear_candidate_pairs():
    text = " ".join(f"word{i} common{i % 7}" for i in range(300))
    arts = [_article(f"a{n:04d}", text) for n in range(300)]
    pairs = candidate_pairs([d.sampled for d in documents(arts)])
    assert len(pairs) == 299  # neighbours in the posting lists, not 300*299/2 pairs
    reuse = find_reuse(arts)
    assert all(r.kind == "exact duplicate" or r.kind == "near-duplicate" for rs in reuse.values() for r in rs)
    assert len(set(families([a.id for a in arts], reuse).values())) == 1


def test_small_groups_are_compared_pairwise():
    text = " ".join(f"token{i}" for i in range(200))
    arts = [_article(f"b{n}", text) for n in range(POSTING_CAP)]
    assert len(candidate_pairs([d.sampled for d in documents(arts)])) == POSTING_CAP * (POSTING_CAP - 1) // 2


def test_pairs_remembered_from_the_last_build_give_the_same_reuse_and_only_changed_texts_are_compared(monkeypatch):
    from build_scripts import reuse as reuse_module

    arts = list(articles_of(CORPUS))
    first = reuse_module.PairMemo()
    expected = find_reuse(arts, memo=first)
    assert expected == find_reuse(arts) and first.used  # the memo changes nothing, and it is filled
    assert any(v is None for v in first.used.values())  # pairs that fail the check are remembered too

    compared = []
    real = reuse_module._verify
    monkeypatch.setattr(reuse_module, "_verify", lambda a, b: compared.append((a.id, b.id)) or real(a, b))
    second = reuse_module.PairMemo(first.used)
    assert find_reuse(arts, memo=second) == expected and compared == []  # nothing changed: nothing compared

    changed = next(a for a in arts if any(r.kind == "reuse" for r in expected.get(a.id, ())))
    edited = replace(changed, blocks=changed.blocks[:-1])  # its last paragraph cut
    again = [edited if a.id == changed.id else a for a in arts]
    cold = find_reuse(again)
    compared.clear()
    assert find_reuse(again, memo=reuse_module.PairMemo(second.used)) == cold
    assert compared and all(changed.id in pair for pair in compared)  # only the pairs of the changed text


def _pairs_one_list_at_a_time(samples):
    """The reference: every posting list of a shingle in two or more articles, in article
    order; up to POSTING_CAP articles pair all, more pair each with the next."""
    from collections import Counter
    from itertools import combinations

    postings = {}
    for n, hs in enumerate(samples):
        for h in set(hs):
            postings.setdefault(h, []).append(n)
    pairs = Counter()
    for members in postings.values():
        pairs.update(combinations(members, 2) if len(members) <= POSTING_CAP else zip(members, members[1:]))
    return pairs


@pytest.mark.parametrize("at_least", [1, 3])
def test_candidate_pairs_are_those_of_each_posting_list(at_least):
    """Posting lists of every size (one article, two, up to the cap, beyond it), repeated
    shingles within an article, and empty articles: the same pairs and counts."""
    import random

    rng = random.Random(5)
    samples = [[rng.randrange(400) for _ in range(rng.randrange(0, 60))] for _ in range(300)]
    samples += [[10**15 + k for k in range(8)]] * 40  # 40 articles sharing 8 shingles: beyond the cap
    samples += [[-(2**62), 2**62 - 1]] * 3 + [[]]
    expected = {p: n for p, n in _pairs_one_list_at_a_time(samples).items() if n >= at_least}
    found = candidate_pairs(samples, at_least)
    assert found == expected and all(type(i) is int and type(j) is int for i, j in found)
    assert any(n >= 3 for n in found.values()) and candidate_pairs([]) == {}
