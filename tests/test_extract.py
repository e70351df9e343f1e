"""Metadata extraction, field by field, on small captures built for each case."""
from pathlib import Path

import pytest

from build_scripts.clean import CleanOptions
from build_scripts.extract import ExtractOptions, count_words, extract, generate_title
from build_scripts.ingest import IngestOptions
from build_scripts.knowledge import load_knowledge
from build_scripts.parallel import StageOptions, analyse
from build_scripts.records import Block, Capture, Cleaned, SourceFile

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def options():
    return ExtractOptions.from_knowledge(load_knowledge(ROOT / "knowledge"))


def cleaned(*paragraphs, headline=None, header=()):
    text = "\n\n".join(paragraphs)
    cap = Capture("case.txt", "0" * 64, len(text), "utf-8", text)
    return Cleaned(cap, headline, tuple(header), tuple(Block("paragraph", p) for p in paragraphs), (), "en")


def people(options, text, year):
    return {m.name for m in options.people.find(text, year)}


# --------------------------------------------------------------------------- people
def test_titles_resolve_by_who_held_the_office_that_year(options):
    assert people(options, "Premier Li said the economy would grow.", 2018) == {"Li Keqiang"}
    assert people(options, "Premier Li said the economy would grow.", 2024) == {"Li Qiang"}


def test_title_without_a_year_is_not_guessed(options):
    assert people(options, "Premier Li said the economy would grow.", None) == set()


def test_vice_premier_is_not_premier(options):
    found = people(options, "Vice Premier Ding said so.", 2023)
    assert found == {"Ding Xuexiang"}


def test_misspelled_name_matches_the_curated_person(options):
    assert people(options, "Xi, along with Premier Li Keqiang and Liu Yunhhan, led a conference.", 2016) == {
        "Xi Jinping", "Li Keqiang", "Liu Yunshan"}


def test_surname_alone_refers_back_to_the_full_name(options):
    text = "Cai Qi attended the meeting. Cai said the work must go on."
    mentions = options.people.find(text, 2023)
    assert [m.surface for m in mentions] == ["Cai Qi", "Cai"]
    assert {m.entity_id for m in mentions} == {"cai-qi"}


def test_unknown_names_are_found_and_flagged_uncurated(options):
    text = ("Foreign Minister Jean Dupont met officials. Zhou Wenbo, a member of the committee, spoke. "
            "Maria Keller said the deal was fair.")
    found = {m.name: m.curated for m in options.people.find(text, 2020)}
    assert found == {"Jean Dupont": False, "Zhou Wenbo": False, "Maria Keller": False}


@pytest.mark.parametrize("text", [
    "President Xi Speaks on China's Cybersecurity",  # headline verb after a surname
    "Thought on Socialism with Chinese Characteristics for a New Era, the country must act.",
    "The Central Military Commission said the drill was over.",
    "In Beijing, Shanghai and Hong Kong Disneyland visitors said it was fine.",
])
def test_phrases_that_are_not_people(options, text):
    assert {m.name for m in options.people.find(text, 2020) if not m.curated} == set()


def test_every_mention_has_its_sentence_as_snippet(options):
    text = "The meeting opened. Wang Huning made a concluding speech at the conference. It closed."
    (m,) = options.people.find(text, 2018)
    assert m.snippet == "Wang Huning made a concluding speech at the conference."


# --------------------------------------------------------------------------- title
def test_generated_title_strips_the_dateline_and_stops_at_a_clause():
    c = cleaned("BEIJING, April 21 -- Officials from ten ministries gathered on Saturday, in a meeting "
                "that lasted well into the night, to discuss data rules for the coming year.")
    assert generate_title(c) == "Officials from ten ministries gathered on Saturday …"


def test_headline_is_used_when_present(options):
    a = extract(cleaned("Body text here is long enough.", headline="A headline"), "x", options)
    assert (a.title, a.title_source) == ("A headline", "capture")


# --------------------------------------------------------------------------- dates
def test_stated_date_from_a_date_stamp(options):
    a = extract(cleaned("Some report.", header=["Updated: 2019-03-05 10:20"]), "x", options)
    assert (a.date.value.iso(), a.date.certainty) == ("2019-03-05", "stated")


def test_dated_dateline_is_stated(options):
    a = extract(cleaned("WASHINGTON, Oct. 9, 2019 (Reuters) - The bill passed."), "x", options)
    assert (a.date.value.iso(), a.date.certainty, a.agency) == ("2019-10-09", "stated", "Reuters")


def test_dateline_year_from_weekday_and_tenure(options):
    # Premier Li Keqiang: 2013-2023. "on Tuesday" with a July 13 dateline: July 12 was a Tuesday in 2016 and 2022.
    text = "BEIJING, July 13 -- Premier Li Keqiang met business leaders on Tuesday, officials said."
    a = extract(cleaned(text), "x", options)
    assert a.date.certainty in ("inferred", "unknown")
    assert a.date.value is None  # two years fit: the build does not guess between them


def test_dateline_year_from_weekday_when_unique(options):
    # Wang Qishan as Vice President (2018-2023); April 21 preceded by a Friday only in 2018 within that span.
    text = "BEIJING, April 21 -- Vice President Wang Qishan met a delegation on Friday, officials said."
    a = extract(cleaned(text), "x", options)
    assert (a.date.value.iso(), a.date.certainty) == ("2018-04-21", "inferred")
    assert "weekday" in a.date.basis


def test_no_date_is_unknown_not_invented(options):
    a = extract(cleaned("Officials met to talk about the weather in the region."), "x", options)
    assert (a.date.value, a.date.certainty) == (None, "unknown")


# --------------------------------------------------------------------------- events
def test_off_topic_article_is_not_linked(options):
    a = extract(cleaned("July 16, 2023 -- A football club won the league on Saturday in Madrid."), "x", options)
    assert a.event is None


def test_keywords_alone_do_not_link_an_event(options):
    a = extract(cleaned("Experts discussed cybersecurity and informatization at a university seminar."), "x", options)
    assert a.event is None


def test_stated_date_far_from_the_event_rejects_it(options):
    a = extract(cleaned("Five years after the national conference on cybersecurity and informatization, "
                        "officials reviewed progress.", header=["March 3, 2021"]), "x", options)
    assert a.event is None


def test_an_undated_article_naming_an_event_by_its_own_title_reports_it(options):
    """No date, no expected participant: the title, which no other curated event has, names
    the occurrence ("Fifth", not just "World Internet Conference")."""
    a = extract(cleaned("Delegates gathered in Wuzhen for the Fifth World Internet Conference, where "
                        "cross-border data flows were high on the agenda."), "x", options)
    assert a.event == "world-internet-conference-2018" and "names the event by its title" in a.event_basis


def test_a_title_two_events_share_does_not_name_either(options):
    a = extract(cleaned("Officials met at the National Conference on Cybersecurity and Informatization Work, "
                        "where cyberspace governance was high on the agenda."), "x", options)
    assert a.event is None


# --------------------------------------------------------------------------- sources
def test_outlet_from_a_signature_line(options):
    a = extract(cleaned("Leaders met on Friday…reports Asian Lite News", "Body."), "x", options)
    assert a.outlet == "Asian Lite News"


BODY = ("Officials in the port city said on Tuesday that the new rules would take effect next month, "
        "after a year of consultation with shipping companies and local residents.\n\n"
        "The plan sets limits on emissions from vessels at berth and funds shore power for the "
        "largest terminals, according to the municipal transport bureau.\n\n"
        "Shipping groups welcomed the timetable but warned that smaller operators would need help "
        "to pay for the equipment.")


def _outlet(options, *lines_before, after=()):
    text = "\n\n".join((*lines_before, "Port city sets new rules for ships at berth", BODY, *after))
    source = SourceFile("case.txt", text.encode(), "0" * 64, len(text))
    return analyse(source, "x", StageOptions(IngestOptions(), CleanOptions()), options).outlet


def test_outlet_from_the_copyright_line_of_a_page_carrying_a_wire_story(options):
    """The publisher no curated file lists, named by the page's copyright line; the story's
    "Source: Reuters" names the wire agency it carries, not the outlet."""
    outlet = _outlet(options, "Source: Reuters | 2023-05-04 | Editor: Jane Roe",
                     after=["© 2023 The Huazhou Journal. All rights reserved.", "About Us | Contact Us"])
    assert outlet == "The Huazhou Journal"


def test_outlet_from_a_source_line_of_the_pages_metadata_row(options):
    assert _outlet(options, "Source: The Jinkou Courier | 2012-09-15 | Editor: Lu Chen") == "The Jinkou Courier"


def test_a_photo_credit_or_a_charts_source_is_not_the_outlet(options):
    assert _outlet(options, after=["© Getty Images", "Source: National Bureau of Statistics"]) is None


@pytest.mark.parametrize("text, agency", [
    ("According to Xinhua news agency, officials met.", "Xinhua News Agency"),
    ("PARIS, May 3 (AFP) - Officials met.", "Agence France-Presse"),
    ("Officials met, according to a Reuters report.", "Reuters"),
])
def test_agency(options, text, agency):
    assert extract(cleaned(text), "x", options).agency == agency


def test_word_count_counts_cjk_characters():
    assert count_words("Hello world, it's me.") == 4
    assert count_words("网络安全 and more") == 6


# --------------------------------------------------------------------------- issue 4
def test_premier_li_in_the_month_of_the_handover_is_not_guessed(options):
    from build_scripts.records import PartialDate
    text = "Premier Li said the economy would grow."
    assert people(options, text, PartialDate(2023, 2)) == {"Li Keqiang"}
    assert people(options, text, PartialDate(2023, 3)) == set()  # both held the office in March 2023
    assert people(options, text, PartialDate(2023, 7, 16)) == {"Li Qiang"}
    assert people(options, text, 2023) == set()  # the year alone does not say which


def test_numeric_date_read_both_ways_keeps_only_the_year(options):
    a = extract(cleaned("Officials met on the new rules.", header=["04/05/2023"]), "x", options)
    assert (a.date.value.iso(), a.date.certainty, a.date.value.precision) == ("2023", "stated", "year")
    assert "either way" in a.date.basis


def test_numeric_date_order_confirmed_by_the_dateline(options):
    a = extract(cleaned("BEIJING, May 4 -- Officials met on the new rules.", header=["04/05/2023"]), "x", options)
    assert (a.date.value.iso(), a.date.certainty) == ("2023-05-04", "stated")


def test_dateline_weekday_and_tenure_give_the_year(options):
    text = "BEIJING, Nov. 2 -- Chinese Vice President Wang Qishan met a delegation on Thursday."
    a = extract(cleaned(text), "x", options)
    assert (a.date.value.iso(), a.date.certainty) == ("2018-11-02", "inferred")
    assert [m.name for m in a.people][:1] == ["Wang Qishan"]


def test_chinese_names_are_found_in_chinese_text(options):
    text = "中共中央总书记、国家主席习近平出席会议。李克强主持会议。"
    assert people(options, text, 2018) == {"Xi Jinping", "Li Keqiang"}


def test_pinyin_given_name_that_is_an_english_word(options):
    text = "Qin An, head of a Beijing institute, said the speech was important."
    assert {(m.name, m.curated) for m in options.people.find(text, 2018)} == {("Qin An", False)}


def test_organizations_that_speak_are_not_people(options):
    """Organizations "say" and "urge" like people do; names.yaml's organization_words tell them apart."""
    text = ("Alibaba Group said it would invest. Deutsche Bank told investors it would cut jobs. "
            "Peking University said no. A spokesman for the Bureau of Public Security said the case was closed. "
            "The National Development and Reform Commission stressed the plan. "
            "The Commission for Civil Aviation warned airlines. The People's Liberation Army said so.")
    assert people(options, text, 2020) == set()


def test_people_stay_people_next_to_organizations(options):
    text = ("Jane Roe, a member of the Bureau of Statistics, said so. Wang Yi said the talks went well. "
            "Margaret Court said so. The Ministry of Commerce said Tom Hale, director of the Institute of Trade, "
            "agreed. The head of the Fund for Peace, Zhang Wei, said so.")
    assert people(options, text, 2020) == {"Jane Roe", "Wang Yi", "Margaret Court", "Tom Hale", "Zhang Wei"}


def test_irish_and_scottish_surnames_and_appositions_of_office(options):
    text = ("Elena McCoy, chief economist of the Bureau of Statistics, said so. Sean O'Brien, spokesperson of the "
            "Academy of Arts, agreed. Kim Lee, an analyst at Nomura, disagreed. Mary O’Neill said no.")
    assert people(options, text, 2020) == {"Elena McCoy", "Sean O'Brien", "Kim Lee", "Mary O’Neill"}


def test_a_different_given_name_is_a_different_person(options):
    """Fuzzy matching forgives misspellings of a curated name, not another name a letter away."""
    found = {(m.name, m.curated) for m in options.people.find("Xi Jingping and Wang Yuan said so. Wang Yu said so.", 2018)}
    assert found == {("Xi Jinping", True), ("Wang Yuan", False), ("Wang Yu", False)}


def test_a_surname_that_is_an_english_word_names_only_with_a_given_name(options):
    text = "An Feng, chief economist of the Commission, said so. An official disagreed. He Yong said no. He added more."
    assert [(m.name, m.surface) for m in options.people.find(text, 2020)] == [("An Feng", "An Feng"),
                                                                              ("He Yong", "He Yong")]


def test_a_one_word_alias_is_not_the_start_of_another_name(options):
    """knowledge/people.yaml gives Xi Jinping the alias "Xi": it names him in "Xi said" and
    "Xi's speech", not in the city of Xi'an nor in another person's name."""
    text = "Tuition across Xi'an rose. Xi Jianmei, director of the Centre, said so. Xi Jianmei added more."
    assert {(m.name, m.curated) for m in options.people.find(text, 2018)} == {("Xi Jianmei", False)}
    text = "Xi's speech was long. Xi said so. Xi Jinping Thought was discussed."
    assert [m.surface for m in options.people.find(text, 2018)] == ["Xi", "Xi", "Xi Jinping"]


def test_a_line_break_ends_a_name(options):
    text = "Rising Waste\nLucas Cortez said the plan would work."
    assert people(options, text, 2020) == {"Lucas Cortez"}


# --------------------------------------------------------------------------- fast paths
def test_name_candidates_are_those_of_the_plain_regex(options):
    import random
    import re

    token = r"(?:Mc|O['’])?[A-Z][a-z]+(?:-[a-z]+)?"
    plain = re.compile(rf"\b{token}(?:[^\S\n]{token}){{1,2}}\b")  # on one line
    words = ["Li", "Keqiang", "Xi", "Jin-ping", "xLi", "_Ma", "1Wang", "said", "É", "Ça", "the", "Wang", "McCoy", "O'Brien",
             "O’Neill", "Mc", "O'", "xMcCoy", "M", "O"]
    rnd = random.Random(11)
    for _ in range(20000):
        text = "".join(rnd.choice(words) + rnd.choice([" ", " ", "", ", ", "\n", "-"]) for _ in range(rnd.randint(1, 8)))
        expected = [(m.start(), m.end(), m.group()) for m in plain.finditer(text)]
        assert [(m.start(), m.end(), m.group()) for m in options.people.candidate.finditer(text)] == expected, text


def test_phrase_index_finds_whole_words_as_a_word_regex_does():
    import random
    import re

    from build_scripts.phrases import _Index

    rnd = random.Random(12)
    pieces = ["cyber", "cyber_", "security", "é", "习近平", " ", "-", "_", "1", "Cyber", "\n"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 10)))
        index = _Index(text)
        words = {}
        for m in re.finditer(r"\w+", text):
            words.setdefault(m.group(), []).append(m.start())
        assert index.words == set(words)
        for word in ("cyber", "security", "习近平", "é", "1"):
            assert index.word_starts(word) == words.get(word, []), (text, word)
        for ch in "习近":
            assert index.char_starts(ch) == [i for i, c in enumerate(text) if c == ch]


def test_surname_references_are_whole_words():
    import random
    import re

    from build_scripts.entities import _whole_word

    rnd = random.Random(5)
    pieces = ["Li", "Lin", "Ma", "a", "-", "_", " ", ".", "LiLi", "é", "1", "\n"]
    for _ in range(20000):
        text = "".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 12)))
        word = rnd.choice(["Li", "Ma", "LiLi", "Lin"])
        expected = [m.span() for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text)]
        assert _whole_word(text, word) == expected, (text, word)


def test_titled_names_are_those_of_the_plain_regex(options):
    import random
    import re

    from build_scripts.entities import _NAME_TOKEN

    finder = options.people
    titles = "|".join(re.escape(t) for t in finder.rules.titles)
    plain = re.compile(rf"\b(?P<title>{titles})\s+(?P<name>{_NAME_TOKEN}(?:\s{_NAME_TOKEN}){{0,2}})")
    words = [*finder.rules.titles[:12], "Li", "Keqiang", "xPremier", "_President", "said", "Vice", "1Premier"]
    rnd = random.Random(4)
    for _ in range(20000):
        text = "".join(rnd.choice(words) + rnd.choice([" ", "", "  ", ", "]) for _ in range(rnd.randint(1, 7)))
        expected = [(m.span(), m["title"], m["name"]) for m in plain.finditer(text)]
        assert [(m.span(), m["title"], m["name"]) for m in finder.titled.finditer(text)] == expected, text


# --------------------------------------------------------------------------- author
BODY = ("The city council on Monday approved a network of protected cycling lanes across the centre, after a "
        "debate that lasted more than six hours and drew hundreds of residents to the town hall.\n\n"
        "Supporters said the lanes would make the streets safer, while shop owners warned that the loss of "
        "parking spaces would drive customers away from the centre.\n\n"
        "The first lanes are expected to open in the autumn, and the council will review them after a year.\n")


@pytest.mark.parametrize("byline, author", [
    ("By Jane Roe", "Jane Roe"),
    ("By JANE ROE | The Daily Post", "Jane Roe"),
    ("By A. Lee and Ana Cruz, Example Wire", "A. Lee and Ana Cruz"),
    ("By Ma Si in Wuzhen, Zhejiang", "Ma Si"),
    ("Jane Roe, Transport Correspondent", "Jane Roe"),  # no "By": the role after the comma says it
    ("Jane Roe - Chief Political Reporter", "Jane Roe"),
    ("Reporter: Jane Roe", "Jane Roe"),
    ("记者：王芳", "王芳"),
    ("Staff Reporter", None),  # a desk, not a person
    ("By Web Desk", None),
    ("By Our Correspondent", None),
])
def test_the_author_is_read_from_the_byline_and_a_desk_names_no_one(options, byline, author):
    from build_scripts.clean import CleanOptions, clean
    from build_scripts.ingest import decode
    from build_scripts.records import SourceFile

    text = f"City council approves new cycling lanes after long debate\n\n{byline}\n\n{BODY}"
    data = text.encode("utf-8")
    c = clean(decode(SourceFile("case.txt", data, "0" * 64, len(data))), CleanOptions())
    assert ("byline" in {r.reason for r in c.removed if r.text == byline}) and byline not in c.body_text
    article = extract(c, "case", options)
    assert dict(article.meta).get("author") == author


def test_a_headline_or_a_sentence_starting_with_by_is_no_byline(options):
    from build_scripts.extract import extract_author
    from build_scripts.records import RemovedLine

    def author(line: str, reason: str = "byline") -> str | None:
        c = cleaned(BODY)
        return extract_author(Cleaned(c.capture, c.headline, c.header, c.blocks, (RemovedLine(1, line, reason),),
                                      "en"))

    assert author("By the numbers: what the budget means") is None
    assert author("By 2030, the city wants half of all trips made by bike") is None
    assert author("Jane Roe, Transport Correspondent", reason="page header") is None  # only bylines count


def test_an_author_the_page_states_outranks_its_byline_and_a_byline_fills_in_when_it_states_none(options):
    from dataclasses import replace as with_

    from build_scripts.stated import apply_stated

    article = with_(extract(cleaned(BODY), "case", options), meta=(("author", "Jane Roe"),))  # from its byline
    page = Capture("case.html", "0" * 64, 10, "utf-8", BODY, "html", (("title", "Lanes approved"),))
    assert dict(apply_stated(article, page, options).meta) == {"title": "Lanes approved", "author": "Jane Roe"}
    stated = with_(page, meta=(("title", "Lanes approved"), ("author", "J. Roe (Metro desk)")))
    assert dict(apply_stated(article, stated, options).meta)["author"] == "J. Roe (Metro desk)"
