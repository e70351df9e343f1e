"""Tests of the CLEAN stage (build_scripts/clean.py).

Three layers:
* the five real captures in seeds/ (exact expectations from the brief);
* fixtures under tests/fixtures/clean/, one per site layout / edge case, each with a
  ``<name>.expected.yaml`` beside it (format: see ``EXPECTED_KEYS``);
* properties over every capture (nothing silently lost, nothing kept twice), the
  pattern file (each category recognises wordings of many sites and no plain news
  sentence), and the helpers (whitespace, wrapping, language, options, errors).
"""
from __future__ import annotations

import itertools
import re
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # pragma: no cover - when no conftest/pyproject sets it
    sys.path.insert(0, str(ROOT))

from build_scripts.clean import (  # noqa: E402
    DEFAULT_PATTERNS, CleanOptions, Item, build_units, calibrate, classify, clean,
    detect_language, find_body, furniture_rule, load_rules, normalise_line,
)
from build_scripts.errors import EmptyCaptureError, KnowledgeError  # noqa: E402
from build_scripts.records import Capture, Cleaned  # noqa: E402

SEEDS = ROOT / "seeds"
FIXTURES = ROOT / "tests" / "fixtures" / "clean"
SEED_FILES = sorted(SEEDS.glob("*.txt"))
FIXTURE_FILES = sorted(FIXTURES.glob("*.txt"))
ALL_FILES = SEED_FILES + FIXTURE_FILES
EXPECTED_KEYS = {"headline", "language", "header", "paragraphs", "first_block", "last_block",
                 "headings", "lists", "list_starts", "must_keep", "must_remove", "reasons"}
STRUCTURAL_REASONS = {"foreign language", "repeated headline", "separator", "page header",
                      "stray line", "teaser", "page footer"}
BULLET = re.compile(r"^(?:[•·▪◦●■►▸*–-]|\d{1,2}[.)]|\(\d{1,2}\)|[a-z]\))\s*")
CJK = re.compile("[\u4e00-\u9fff]")


def capture_of(text: str, rel: str = "test.txt") -> Capture:
    return Capture(rel=rel, sha256="0" * 64, size=len(text.encode()), encoding="utf-8",
                   text=text)


def clean_file(path: Path) -> Cleaned:
    return clean(capture_of(path.read_text(encoding="utf-8"), path.name))


def seed(prefix: str) -> Cleaned:
    (path,) = [p for p in SEED_FILES if p.name.startswith(prefix)]
    return clean_file(path)


def paragraphs(c: Cleaned) -> list[str]:
    return [b.text for b in c.blocks if b.kind == "paragraph"]


def headings(c: Cleaned) -> list[str]:
    return [b.text for b in c.blocks if b.kind == "heading"]


def removed_texts(c: Cleaned) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in c.removed:
        out.setdefault(r.text, set()).add(r.reason)
    return out


def last_text(c: Cleaned) -> str:
    block = c.blocks[-1]
    return block.items[-1] if block.kind == "list" else block.text


def kept_stream(c: Cleaned) -> str:
    parts = [c.headline or ""]
    for b in c.blocks:
        parts.extend(b.items if b.kind == "list" else (b.text,))
    return "\n".join(parts)


def _items_of(text: str) -> list[Item]:
    units = build_units([normalise_line(x) for x in text.split("\n")])
    group = detect_language(units)[1]
    return [classify(u, load_rules(), group, CleanOptions()) for u in units]


def _items(path: Path) -> list[Item]:
    return _items_of(path.read_text(encoding="utf-8"))


# =========================================================================== seeds
def test_there_are_five_seed_captures():
    assert len(SEED_FILES) == 5


def test_seed_000_teasers_after_the_article_go_and_standfirst_stays():
    c = seed("000")
    assert c.headline == "Xi stresses advancing high-quality development of cybersecurity"
    assert c.header == ("July 16, 2023",)
    assert c.language == "en"
    reasons = removed_texts(c)
    assert reasons["July 16, 2023"] == {"date stamp"}
    assert reasons["2 mins read"] == {"reading time"}
    paras = paragraphs(c)
    assert paras[0].startswith("Xi said the important role of the cybersecurity")
    assert paras[0].endswith("reports Asian Lite News")
    assert paras[1].startswith("Chinese President Xi Jinping has stressed the need")
    assert paras[-1].startswith("In his summary speech, Li Shulei,")
    assert c.blocks[-1].kind == "paragraph" and c.blocks[-1].text == paras[-1]
    assert len(paras) == 16 and not headings(c)
    lines = c.capture.text.split("\n")
    also_read = next(n for n, line in enumerate(lines, 1) if line.startswith("ALSO READ:"))
    after = {n for n, line in enumerate(lines, 1) if n >= also_read and normalise_line(line)}
    assert after <= {r.line for r in c.removed}
    for gone in ("Bhutan King", "Modi Set for White House", "US Faces Ire", "Go toTop",
                 "Don't Miss", "NATO summit", "propaganda documentary", "Previous Story"):
        assert gone not in c.body_text
    assert "Don't Miss" in reasons and "Go toTop" in reasons


def test_seed_001_repeated_headline_once_and_share_widgets_go():
    c = seed("001")
    title = ("President Xi stresses advancing high-quality development of IT and Cyber "
             "Security sector")
    assert c.headline == title
    assert c.header == ()
    assert title not in c.body_text
    assert removed_texts(c)[title] == {"repeated headline"}
    paras = paragraphs(c)
    assert paras[0].startswith("BEIJING, (Xinhua) — Chinese President Xi Jinping has given")
    assert paras[-1].startswith("We should implement the major strategies of cyberspace security")
    assert len(paras) == 19
    reasons = removed_texts(c)
    for widget in ("Share This", "Wordpress (0)", "Disqus (0 )"):
        assert reasons[widget] == {"share widget"}


def test_seed_002_no_headline_and_chinese_navigation_goes():
    c = seed("002")
    assert c.headline is None
    assert c.language == "en"
    paras = paragraphs(c)
    assert paras[0].startswith("BEIJING, April 21 -- Chinese President Xi Jinping called for")
    assert paras[-1].startswith("In his concluding remarks, Wang Huning called for")
    assert len(paras) == 22
    assert not CJK.search(c.body_text)
    lines = c.capture.text.split("\n")
    chinese = {n for n, line in enumerate(lines, 1) if CJK.search(line)}
    assert len(chinese) > 30
    by_line = {r.line: r.reason for r in c.removed}
    assert all(by_line.get(n) == "foreign language" for n in chinese)
    assert removed_texts(c)["国际英语资讯:Egypt sees drop in daily COVID-19 deaths as total "
                            "infections nudge 90,000"] == {"foreign language"}


def test_seed_003_five_section_headings_and_footer_widgets_go():
    c = seed("003")
    assert c.headline == ("President Xi Jinping outlines blueprint to build China’s strength "
                          "in cyberspace")
    assert headings(c) == ["Role of information technologies", "Cyberspace governance",
                           "Cybersecurity", "Military-civilian integration",
                           "Global cyberspace governance"]
    kinds = [b.kind for b in c.blocks]
    for i, kind in enumerate(kinds):
        if kind == "heading":
            assert kinds[i - 1] == "paragraph" and kinds[i + 1] == "paragraph"
    assert last_text(c).startswith("At the same time, China will strengthen co-operation")
    assert paragraphs(c)[0].startswith("According to Xinhua news agency, President Xi Jinping")
    assert "\u00a0" not in c.body_text
    reasons = removed_texts(c)
    assert reasons["Share:"] == {"share widget"}
    assert set(reasons) >= {"More Posts", "Send Us A Message"}
    assert any(t.startswith("Discover the Best Suppliers") for t in reasons)
    assert "Suppliers" not in c.body_text


def test_seed_004_two_lists_with_their_lead_in_paragraphs():
    c = seed("004")
    assert c.headline == ("President Xi Speaks on China's Cybersecurity and Informatization "
                          "Development")
    lists = [b for b in c.blocks if b.kind == "list"]
    assert [len(b.items) for b in lists] == [6, 3]
    assert all(not item.startswith(("•", "-", " ")) for b in lists for item in b.items)
    assert lists[0].items[0].startswith("Acknowledging the central role the Internet plays")
    assert lists[1].items[0].startswith("promoting CAC's leading role")
    assert last_text(c) == ("creating and strengthening national policies so that the "
                            "cybersecurity investment fund may facilitate the development of "
                            "China's cybersecurity industry.")
    kinds = [b.kind for b in c.blocks]
    first_list, second_list = (i for i, k in enumerate(kinds) if k == "list")
    lead_in = c.blocks[first_list - 1].text
    assert lead_in.startswith("According to a Xinhua report, Xi gave a speech")
    assert lead_in.endswith("including:")
    assert c.blocks[second_list - 1].text == "Main highlights include:"
    assert c.blocks[second_list - 1].kind == "paragraph"
    assert paragraphs(c)[0].startswith("On April 19, President Xi Jinping, Chairman of the Central")
    assert len(paragraphs(c)) == 5 and not headings(c)
    assert not c.removed  # nothing on this page is furniture
    assert "\u00a0" not in kept_stream(c)


# =========================================================================== fixtures
def test_fixtures_cover_at_least_twelve_layouts_each_with_expectations():
    assert len(FIXTURE_FILES) >= 12
    expected = {p.name.removesuffix(".expected.yaml") for p in FIXTURES.glob("*.expected.yaml")}
    assert expected == {p.stem for p in FIXTURE_FILES}


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.stem)
def test_fixture_expectations(path: Path):
    spec = yaml.safe_load(path.with_suffix(".expected.yaml").read_text(encoding="utf-8"))
    assert set(spec) <= EXPECTED_KEYS, f"unknown keys {set(spec) - EXPECTED_KEYS}"
    c = clean_file(path)
    assert c.headline == spec["headline"]
    assert c.language == spec["language"]
    assert list(c.header) == spec["header"]
    assert len(paragraphs(c)) == spec["paragraphs"]
    assert headings(c) == spec["headings"]
    assert [len(b.items) for b in c.blocks if b.kind == "list"] == spec["lists"]
    starts = [b.start for b in c.blocks if b.kind == "list"]
    assert starts == spec.get("list_starts", [None] * len(starts))  # unless stated, lists are bullets
    first = c.blocks[0]
    assert (first.items[0] if first.kind == "list" else first.text).startswith(spec["first_block"])
    assert last_text(c).endswith(spec["last_block"])
    for text in spec["must_keep"]:
        assert text in c.body_text, text
    reasons = removed_texts(c)
    for line in spec["must_remove"]:
        assert line in reasons, line
        assert line not in c.body_text.split("\n"), line
    for line, reason in (spec.get("reasons") or {}).items():
        assert reasons.get(line) == {reason}, line


# =========================================================================== properties
@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_nothing_is_silently_lost(path: Path):
    """Every non-blank line is either removed (with a reason) or kept, in order."""
    c = clean_file(path)
    lines = [normalise_line(line) for line in c.capture.text.split("\n")]
    removed = {r.line: r for r in c.removed}
    assert len(removed) == len(c.removed), "a line is removed twice"
    stream, pos = kept_stream(c), 0
    for n, line in enumerate(lines, 1):
        if not line:
            assert n not in removed
            continue
        if n in removed:
            assert removed[n].text == line and removed[n].reason
            continue
        needle = line if line in stream[pos:] else BULLET.sub("", line, count=1)
        found = stream.find(needle, pos)
        assert found >= 0, f"line {n} neither kept nor removed: {line!r}"
        pos = found + len(needle)


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_nothing_is_kept_and_removed(path: Path):
    c = clean_file(path)
    kept = set(kept_stream(c).split("\n"))
    for r in c.removed:
        if r.reason != "repeated headline":
            assert r.text not in kept, r
            if len(r.text) >= 40:
                assert r.text not in c.body_text, r
    assert [r.line for r in c.removed] == sorted(r.line for r in c.removed)
    assert set(c.header) <= {r.text for r in c.removed}


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: p.stem)
def test_blocks_are_well_formed(path: Path):
    c = clean_file(path)
    assert c.blocks and c.blocks[-1].kind != "heading"
    allowed = {r.reason for r in load_rules()} | STRUCTURAL_REASONS
    assert {r.reason for r in c.removed} <= allowed
    for b in c.blocks:
        if b.kind == "list":
            assert b.items and not b.text and all(i.strip() == i and i for i in b.items)
        else:
            assert b.text and b.text.strip() == b.text and not b.items
        if b.kind == "heading":
            assert len(b.text.split()) <= CleanOptions().max_heading_words
            assert not b.text.endswith((".", ":"))


# =========================================================================== generalisation
ARTICLE_TITLE = "Port strike halts container traffic for a third day"
ARTICLE = [
    "ROTTERDAM, March 14 - Dock workers at the port extended their strike for a third day on "
    "Thursday, leaving dozens of container ships waiting at anchor off the coast.",
    "The union wants a pay rise of 9 percent to make up for high inflation, while the port "
    "employers have offered 5 percent over two years.",
    "Shipping companies said the strike was costing them millions of euros a day and warned "
    "that shops could face shortages of some goods within weeks.",
    "Talks between the union and the employers are due to resume on Friday.",
]
TOPS = {
    "breadcrumbs": ["Home » Business » Transport"],
    "byline_and_stamp": ["Written by Omar Haddad", "Posted on Thu 14 Mar 2024, 7:45 pm"],
    "nav_widgets": ["Skip to main content", "Log in", "Sections"],
    "reading_time": ["Estimated reading time: 3 minutes"],
    "cookie_banner": ["This site uses cookies to improve your experience and for analytics.",
                      "Reject all", "Accept"],
}
BOTTOMS = {
    "share_row": ["Share this article", "Facebook · X · LinkedIn · WhatsApp"],
    "recommended": ["Recommended for you", "Airport workers plan walkout over summer rota",
                    "Unions and employers agreed a new national wage deal last spring."],
    "comments": ["Comments (7)", "Show comments"],
    "footer": ["Copyright © 2024 Harbour Daily Media Group",
               "Terms and conditions | Privacy | Careers"],
    "next_story": ["Next story »", "Rail freight volumes hit a record high"],
    "newsletter": ["Get our morning briefing delivered to your inbox every weekday.",
                   "Enter your e-mail"],
}


@pytest.mark.parametrize(("top", "bottom"), list(itertools.product(TOPS, BOTTOMS)))
def test_same_article_in_any_page_frame_cleans_the_same(top: str, bottom: str):
    """Furniture worded unlike anything in the seeds, in every combination."""
    text = "\n\n".join(TOPS[top] + [ARTICLE_TITLE] + ARTICLE + BOTTOMS[bottom]) + "\n"
    c = clean(capture_of(text))
    assert c.headline == ARTICLE_TITLE
    assert [b.text for b in c.blocks] == ARTICLE
    assert {r.text for r in c.removed} == set(TOPS[top] + BOTTOMS[bottom])


def test_article_is_never_trimmed_away_in_favour_of_a_smaller_part():
    """Teasers above a cryptic headline that shares no words with the article: the
    cleaner may not recognise them, but it must never drop the article instead."""
    text = "\n\n".join([
        "Why house prices are falling in the capital",
        "Estate agents say buyers are waiting for interest rates to come down.",
        "Heatwave tips for the weekend",
        "Experts share simple ways to beat the heat without air conditioning.",
        "The Long Wait",
    ] + ARTICLE) + "\n"
    c = clean(capture_of(text))
    for para in ARTICLE:
        assert para in c.body_text


def test_last_section_on_another_subject_stays():
    """A round-up article: its last section shares no vocabulary with the rest but
    has a sentence-case heading and several paragraphs, so it is no teaser."""
    section = ["Weather outlook",
               "Forecasters expect heavy rain along the northern coast over the weekend, "
               "with strong gusts in exposed areas.",
               "Temperatures should climb again from Tuesday, reaching the mid-twenties "
               "inland by the middle of next week."]
    body = [*ARTICLE[:3],
            "Port employers said the strike by dock workers had left more than 40 container "
            "ships waiting, and that the union's pay demand would raise costs at the port.",
            "The union said dock workers at the port would continue the strike until the "
            "employers improved their pay offer.",
            ARTICLE[3]]
    text = "\n\n".join([ARTICLE_TITLE, *body, *section]) + "\n"
    items = _items_of(text)
    assert calibrate(items, *find_body(items), CleanOptions()) == CleanOptions()
    c = clean(capture_of(text))
    assert [b.text for b in c.blocks] == body + section
    assert [b.kind for b in c.blocks][-3:] == ["heading", "paragraph", "paragraph"]


BLURB = ("Harbour Daily is an independent newspaper founded in 1921 and owned by a "
         "charitable trust.")


def test_unrelated_blurb_after_a_widget_goes_but_a_last_paragraph_stays():
    after_widget = "\n\n".join([ARTICLE_TITLE, *ARTICLE, "Share this article", BLURB])
    c = clean(capture_of(after_widget))
    assert [b.text for b in c.blocks] == ARTICLE
    assert BLURB in removed_texts(c)
    right_after = "\n\n".join([ARTICLE_TITLE, *ARTICLE, BLURB])
    assert [b.text for b in clean(capture_of(right_after)).blocks] == [*ARTICLE, BLURB]




def test_cohesion_thresholds_follow_the_documents_own_cohesion():
    opts = CleanOptions()
    chinese = _items(FIXTURES / "chinese_wire_page_bracket_widgets.txt")
    scaled = calibrate(chinese, *find_body(chinese), opts)
    assert scaled.teaser_cohesion < opts.teaser_cohesion / 2
    assert scaled.resume_cohesion < opts.resume_cohesion / 2
    english = _items(SEED_FILES[1])
    assert calibrate(english, *find_body(english), opts) == opts


def test_whitespace_oddities_do_not_change_the_result():
    path = FIXTURES / "breadcrumbs_byline_updated_timestamp.txt"
    text = path.read_text(encoding="utf-8")
    odd = "\n".join(
        ("\t" if n % 3 == 0 else "") + line.replace(" ", "\u00a0", 2).replace("e", "e\u200b", 1)
        + ("  \u00a0" if n % 2 else "") for n, line in enumerate(text.split("\n")))
    plain, messy = clean(capture_of(text)), clean(capture_of(odd))
    assert messy.blocks == plain.blocks
    assert messy.headline == plain.headline and messy.header == plain.header
    assert [(r.line, r.reason) for r in messy.removed] == [
        (r.line, r.reason) for r in plain.removed]


# =========================================================================== pattern file
CATEGORY_EXAMPLES = {
    "date_stamp": ["March 5, 2021", "5 March 2021", "Tue 14 Nov 2023 17.02 GMT", "2021-03-05",
                   "Published: 05/03/2021", "Last updated on 12 January 2022 at 9:30 am",
                   "Posted 3 days ago", "2020年5月1日", "Updated 14:32 GMT+1, June 2, 2022",
                   "2 juin 2021", "16-Jul-2023", "(Example Daily) 09:13, July 16, 2023",
                   "Updated - July 16, 2023 at 10:23 pm IST",
                   "April 21, 2018 / 9:12 AM / Updated 6 years ago"],
    "byline": ["By Jane Doe", "BY ROBERT KING", "By Ana María López and Tom Ng",
               "Written by Sam Patel", "Reporter: Li Na", "Carlos Ruiz, Staff Writer",
               "By Kim Lee | The Daily Post", "记者：张伟", "Web Desk", "Our Correspondent",
               "By Ma Si in Wuzhen, Zhejiang"],
    "source_line": ["Source: Global Times", "Source: AP | Date: 2021-01-01", "来源：人民网"],
    "credit": ["Editor: Zhang Wei", "(Editing by Mark Potter)", "【纠错】 【责任编辑：王静】",
               "Additional reporting by Kate Holton", "责任编辑：王静"],
    "reading_time": ["4 min read", "10-minute read", "Reading time: 3 minutes", "1 min read",
                     "Listen to this story"],
    "comments": ["5 Comments", "No comments yet", "Leave a comment", "Comments (12)",
                 "Join the conversation", "Show comments", "评论"],
    "share": ["Share", "Share this story", "Facebook Twitter LinkedIn Email", "Tweet",
              "Share on WhatsApp", "Copy link", "Pinterest (3)", "1.2K shares", "分享到："],
    "inline_teaser": ["Read more: Oil prices fall to a two-year low", "See also: Why markets fell",
                      "RELATED: Court blocks merger", "Watch: Storm hits the coast",
                      "Lire aussi : La grève continue", "Also Read:"],
    "teaser_heading": ["Related stories", "You may also like", "Recommended for you",
                       "More from Business", "Most read", "Trending now", "Editor's picks",
                       "Don’t miss", "Top stories", "More stories", "In case you missed it",
                       "相关新闻"],
    "navigation": ["Next article", "Previous post", "« Older", "Back to top", "Scroll to top",
                   "下一篇"],
    "advertising": ["Advertisement", "ADVERTISING", "Sponsored content", "Story continues below",
                    "Article continues after advertisement", "Scroll to continue with content",
                    "Paid partnership", "Shop now"],
    "cookie_banner": ["This website uses cookies to improve your experience.",
                      "We and our partners use cookies to personalise ads.", "Reject all",
                      "Cookie settings", "Got it"],
    "newsletter": ["Subscribe to our daily newsletter",
                   "Get the best stories delivered to your inbox",
                   "Sign up for breaking news alerts", "Follow us on Telegram",
                   "Download our app", "Subscribe now"],
    "footer": ["© Example Media 2020", "Copyright 2019 Foo Inc.", "All rights reserved.",
               "About us | Contact | Careers", "Contact us", "Advertise with us",
               "Without permission, such content shall not be republished in any form."],
    "tags": ["Tags: economy, trade", "Topics: Climate change", "Filed under: Europe",
             "Keywords: AI; chips", "#climate #energy"],
    "caption": ["Photo: Reuters", "Picture: Supplied", "Image: Getty", "Credit: John Doe",
                "(Photo: AFP)",
                "Protesters march in Paris on Monday. (Photo by Jane Doe/Getty Images)",
                "Photograph: Alamy", "资料图片",
                "Delegates at the opening session. [Photo/Agency]",
                "7月14日，会议在北京召开。新华社记者 王某 摄",
                "Delegates attend the meeting in Beijing. Photo: Xinhua"],
    "boilerplate": ["END", "(Ends)", "-- End --",
                    "This article was originally published on Example.",
                    "The views expressed are the author's own.",
                    "Disclaimer: This is a sponsored feature.", "(AFP)"],
    "embed": ["— Ana Ruiz (@anaruiz) May 2, 2023", "pic.twitter.com/x1Y2z3",
              "View this post on Instagram", "A post shared by City Museum (@citymuseum)",
              "Watch on YouTube"],
    "widget": ["Print this article", "Text size", "Font Size: A- A+", "【字体：大 中 小】",
               "Skip to content", "Bookmark", "Log in"],
    "breadcrumbs": ["News > World > Europe", "Home » Sport » Football",
                    "Business | Markets | Stocks | Economy", "You are here: Home / News",
                    "Economy | Policy", "Tech / Big Tech"],
}
PLAIN_SENTENCES = [
    "Share prices fell 3 percent on Monday after the company cut its forecast.",
    "By 2030, the country plans to generate half of its electricity from wind and solar.",
    "By contrast, exports to Europe rose sharply.",
    "Next year the ministry will publish new rules for data centres.",
    "Related charges against two other executives were dropped in March.",
    "The court ruled that the software was protected by copyright.",
    "Photographers were kept away from the ceremony.",
    "Comments made by the minister on Tuesday caused an uproar.",
    "More than 200 people attended the meeting in the capital.",
    "Subscribers to the service will pay 5 dollars more a month from June.",
    "Tags on luggage will be scanned automatically at the new terminal.",
    "Source code for the app was published online last week.",
    "Editors at the newspaper said they would appeal the ruling.",
    "Latest figures show unemployment fell to 4.1 percent in May.",
    "Home prices rose for the tenth month in a row, data showed.",
    "Print newspapers have lost more than half of their readers since 2008.",
    "Advertising revenue at the group fell 12 percent in the third quarter.",
    "The author of the report, economist Ana Ruiz, said growth would slow.",
    "Updated figures released on Monday show 3.2 percent growth.",
    "Follow-up talks will be held in Geneva next month.",
    "Reporting by local media suggested the talks had stalled.",
    "Writers and editors gathered in the capital on Monday for the prize ceremony.",
    "Desk clerks went on strike.",
    "Our reporters visited the region in May.",
    "记者从市应急管理局获悉，截至目前暂无人员伤亡。",
    "Role of information technologies",
    "What happens next",
    "Background",
]


@pytest.mark.parametrize(("category", "text"), [
    (cat, text) for cat, texts in CATEGORY_EXAMPLES.items() for text in texts])
def test_pattern_category_recognises_many_sites_wording(category: str, text: str):
    rule = furniture_rule(text)
    family = {"caption": {"caption", "caption_credit"}}.get(category, {category})
    assert rule is not None and rule.category in family, f"{text!r} matched {rule}"


@pytest.mark.parametrize("text", PLAIN_SENTENCES)
def test_plain_article_sentences_match_no_pattern(text: str):
    assert furniture_rule(text) is None


def test_every_category_has_an_example_and_a_valid_action():
    rules = load_rules()
    categories = {r.category for r in rules} - {"caption_credit"}
    assert categories == set(CATEGORY_EXAMPLES)
    assert {r.action for r in rules} == {"remove", "end", "meta"}


def test_pattern_file_documents_its_format():
    head = DEFAULT_PATTERNS.read_text(encoding="utf-8").split("\nmacros:")[0]
    for word in ("reason:", "action:", "max_words:", "case_sensitive:", "weight:", "patterns:",
                 "remove", "end", "meta", "{name}"):
        assert word in head, word


def _first_rule_one_by_one(texts, rules, size):
    """The reference: every rule in file order, one search each."""
    for rule in rules:
        if (rule.max_words is None or size <= rule.max_words) and any(rule.regex.search(t) for t in texts):
            return rule
    return None


def _screen_lines() -> list[str]:
    lines = [text for texts in CATEGORY_EXAMPLES.values() for text in texts] + PLAIN_SENTENCES
    for path in ALL_FILES:
        lines += [normalise_line(x) for x in path.read_text(encoding="utf-8").splitlines()]
    lines = sorted({x for x in lines if x})
    # case variants, and letters that match ASCII case-insensitively though lower() differs
    odd = str.maketrans({"i": "\u0131", "I": "\u0130", "s": "\u017f", "k": "\u212a"})
    return lines + [x.upper() for x in lines] + [x.translate(odd) for x in lines]


def test_combined_rules_find_the_same_first_rule_as_one_search_per_rule():
    from build_scripts.clean import _screen
    rules = load_rules()
    screen = _screen(rules)
    assert screen is not None
    for line in _screen_lines():
        texts = (line, line[2:]) if line[:2] in ("- ", "• ") else (line,)
        for size in (1, 5, 8, 15, 30, 45, 65, 75, 100):
            assert screen.first(texts, size) is _first_rule_one_by_one(texts, rules, size), (line, size)


def test_rules_with_numbered_groups_are_tried_one_by_one(tmp_path: Path):
    from build_scripts.clean import _screen
    custom = tmp_path / "furniture.yaml"
    custom.write_text("categories:\n  echo:\n    patterns:\n      - '^(\\w+) \\1$'\n", encoding="utf-8")
    rules = load_rules(custom)
    assert _screen(rules) is None
    assert furniture_rule("bye bye", rules).category == "echo"
    assert furniture_rule("bye now", rules) is None


def test_rules_are_compiled_once():
    assert load_rules() is load_rules(DEFAULT_PATTERNS)


def test_custom_pattern_file_is_used(tmp_path: Path):
    text = "\n\n".join(["Title of the piece here", *ARTICLE, "Zorblax gadget",
                         "Another teaser line"]) + "\n"
    custom = tmp_path / "furniture.yaml"
    custom.write_text(DEFAULT_PATTERNS.read_text(encoding="utf-8") + """
  zorblax:
    reason: zorblax widget
    action: end
    patterns:
      - '^zorblax gadget$'
""", encoding="utf-8")
    default = clean(capture_of(text))
    assert "Zorblax gadget" in removed_texts(default)
    assert removed_texts(default)["Zorblax gadget"] != {"zorblax widget"}
    c = clean(capture_of(text), CleanOptions(patterns=custom))
    assert removed_texts(c)["Zorblax gadget"] == {"zorblax widget"}
    assert [b.text for b in c.blocks] == ARTICLE


@pytest.mark.parametrize(("body", "message"), [
    ("categories:\n  x:\n    action: drop\n    patterns: ['a']\n", "action"),
    ("categories:\n  x:\n    patterns: ['(unclosed']\n", "bad pattern"),
    ("categories:\n  x:\n    patterns: ['{nosuchmacro}']\n", "unknown macro"),
    ("categories:\n  x:\n    colour: red\n    patterns: ['a']\n", "category takes only"),
    ("categories:\n  x:\n    weight: 2\n    patterns: ['a']\n", "weight"),
    ("categories:\n  x:\n    patterns: 'a'\n", "patterns must be a list"),
    ("just text\n", "categories"),
    ("categories: [\n", "cannot read"),
])
def test_malformed_pattern_file_is_reported(tmp_path: Path, body: str, message: str):
    bad = tmp_path / f"bad{abs(hash(body))}.yaml"
    bad.write_text(body, encoding="utf-8")
    with pytest.raises(KnowledgeError, match=message) as err:
        load_rules(bad)
    assert err.value.path == str(bad)


# =========================================================================== helpers
def test_normalise_line_handles_nbsp_tabs_zero_width_and_trailing_space():
    messy = "\tOn\u00a0April 19,\u200b  Xi\u3000said. \u00a0 "
    assert normalise_line(messy) == "On April 19, Xi said."
    assert normalise_line("\u00a0\u200b\t ") == ""
    assert normalise_line("\ufeffTitle\r") == "Title"


def test_hard_wrapped_lines_are_joined_into_paragraphs():
    text = (FIXTURES / "hard_wrapped_plain_text.txt").read_text(encoding="utf-8")
    units = build_units([normalise_line(x) for x in text.split("\n")])
    def lines_of(prefix: str) -> tuple[int, ...]:
        (unit,) = [u for u in units if u.text.startswith(prefix)]
        return unit.lines

    assert lines_of("MUMBAI,") == (7, 8, 9, 10, 11)
    # breaks after a full stop / before a capital or digit: only the width tells
    assert lines_of("Consumer price") == (13, 14, 15, 16, 17)
    assert lines_of("The bank's") == (19, 20, 21, 22)
    assert lines_of("The committee also") == (35, 36, 37, 38)
    bullet = next(u for u in units if u.text.startswith("a weaker-than-expected"))
    assert bullet.bullet and bullet.lines == (26, 27)
    assert [u.lines for u in units if u.text.startswith(("By ", "Published"))] == [(4,), (5,)]


def test_line_broken_mid_sentence_is_joined_but_separate_sentences_are_not():
    lines = ["The minister said the new rules would apply to all companies with",
             "more than 50 employees from next year.",
             "Opposition parties criticised the plan.",
             "- a bullet that starts a list",
             "- another bullet"]
    units = build_units(lines)
    assert [u.lines for u in units] == [(0, 1), (2,), (3,), (4,)]
    assert units[0].text.endswith("companies with more than 50 employees from next year.")
    assert units[2].bullet and units[2].text == "a bullet that starts a list"


@pytest.mark.parametrize(("text", "code"), [
    ("Le gouvernement a annoncé mardi une hausse des impôts pour les entreprises. "
     "Les syndicats ont dénoncé une mesure qui pèse sur les salariés et sur la croissance.", "fr"),
    ("Die Regierung hat am Dienstag eine Steuererhöhung für Unternehmen angekündigt. "
     "Die Gewerkschaften kritisierten, dass die Maßnahme nicht mit den Arbeitnehmern "
     "abgestimmt sei.", "de"),
    ("El gobierno anunció el martes una subida de impuestos para las empresas. Los sindicatos "
     "criticaron la medida, que según ellos se tomó sin consultar a los trabajadores.", "es"),
    ("The government announced a tax rise for companies on Tuesday, and unions said it was "
     "agreed without consulting the workers.", "en"),
    ("政府周二宣布提高企业税，工会批评这一措施没有征求工人的意见。", "zh"),
    ("政府は火曜日、企業向けの増税を発表した。"
     "労働組合は、労働者に相談せずに決められたと批判している。", "ja"),
    ("정부는 화요일 기업에 대한 증세를 발표했다. "
     "노동조합은 노동자들과 상의 없이 결정됐다고 비판했다.", "ko"),
    ("Правительство во вторник объявило о повышении налогов для компаний. "
     "Профсоюзы раскритиковали эту меру.", "ru"),
    ("Уряд у вівторок оголосив про підвищення податків для компаній. "
     "Профспілки розкритикували цей захід і його наслідки.", "uk"),
    ("أعلنت الحكومة يوم الثلاثاء زيادة الضرائب على الشركات. "
     "وانتقدت النقابات هذا الإجراء بشدة.", "ar"),
])
def test_language_is_detected_from_the_script_and_stop_words(text: str, code: str):
    assert detect_language(build_units([text]))[0] == code


def test_blank_capture_and_capture_without_text_raise():
    with pytest.raises(EmptyCaptureError):
        clean(capture_of(" \n\u00a0\n\t\n"))
    with pytest.raises(EmptyCaptureError):
        clean(capture_of("Share\nMenu\nSearch\n"))


def test_clean_logs_and_never_prints(capsys: pytest.CaptureFixture[str],
                                     caplog: pytest.LogCaptureFixture):
    caplog.set_level("INFO", logger="build_scripts.clean")
    clean_file(SEED_FILES[0])
    assert capsys.readouterr() == ("", "")
    assert any("blocks" in rec.getMessage() for rec in caplog.records)


def test_normalising_the_whole_text_is_normalising_each_line():
    import random

    from build_scripts.clean import normalise_lines
    pieces = ["a", "é", "e\u0301", "\u0301", " ", "  ", "\t", "\u00a0", "\u200b", "\u00ad", "\x0b", "\x0c", "\r",
              "\x1c", "\x85", "\u2028", "\n", "\ufeff", "\x00", "\x7f", "\u3000", "A\u030a"]
    rnd = random.Random(1)
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 15)))
        assert normalise_lines(text) == [normalise_line(line) for line in text.split("\n")], repr(text)
