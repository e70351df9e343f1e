"""The knowledge loader (build_scripts.knowledge) and the curated knowledge/ folder."""
from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from pathlib import Path

import pytest

from build_scripts.errors import KnowledgeError
from build_scripts.knowledge import load_knowledge, slugify
from build_scripts.records import Entity, Knowledge, Role

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "knowledge"
THIS_YEAR = dt.date.today().year

PBSC = "Member of the Standing Committee of the Political Bureau of the CPC Central Committee"
PUBLICITY = "Head of the Publicity Department of the CPC Central Committee"


@pytest.fixture(scope="module")
def knowledge() -> Knowledge:
    return load_knowledge(KNOWLEDGE)


def _surfaces(entities: tuple[Entity, ...]) -> dict[str, str]:
    """Every name and alias, casefolded, to the id it belongs to."""
    return {s.casefold(): e.id for e in entities for s in (e.name, *e.aliases)}


def _holders(knowledge: Knowledge, title: str, year: int, *, exact: bool = True) -> set[str]:
    return {p.id for p in knowledge.people for r in p.roles
            if (r.title == title if exact else title in r.title) and r.covers(year)}


# --------------------------------------------------------------------------- slugify
@pytest.mark.parametrize(("text", "slug"), [
    ("Xi Jinping", "xi-jinping"),
    ("People's Daily", "peoples-daily"),
    ("Xi\u2019an", "xian"),
    ("Côte d'Ivoire", "cote-divoire"),
    ("Ürümqi", "urumqi"),
    ("  Washington, D.C. ", "washington-d-c"),
    ("CNCERT/CC", "cncert-cc"),
    ("习近平", ""),
])
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


# --------------------------------------------------------------------------- the real folder
def test_real_folder_loads_every_file(knowledge: Knowledge) -> None:
    for name in ("events", "people", "organizations", "places", "outlets", "agencies",
                 "topics"):
        assert (KNOWLEDGE / f"{name}.yaml").is_file()
        assert len(getattr(knowledge, name)) > 0, name


def test_real_folder_is_deterministic(knowledge: Knowledge) -> None:
    assert load_knowledge(KNOWLEDGE) == knowledge


@pytest.mark.parametrize("kind", ["events", "people", "organizations", "places", "outlets",
                                  "agencies"])
def test_ids_unique_slugs_and_sorted(knowledge: Knowledge, kind: str) -> None:
    ids = [e.id for e in getattr(knowledge, kind)]
    assert ids == sorted(set(ids))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", i) for i in ids)


@pytest.mark.parametrize("kind", ["people", "organizations", "places", "outlets", "agencies"])
def test_no_two_entries_share_a_name_or_alias(knowledge: Knowledge, kind: str) -> None:
    owners: dict[str, set[str]] = {}
    for e in getattr(knowledge, kind):
        for s in (e.name, *e.aliases):
            owners.setdefault(s.casefold(), set()).add(e.id)
    assert {s: ids for s, ids in owners.items() if len(ids) > 1} == {}


def test_surname_aliases_only_when_unambiguous(knowledge: Knowledge) -> None:
    single_word = {a for p in knowledge.people for a in p.aliases
                   if re.fullmatch(r"[A-Za-z]+", a)}
    assert single_word <= {"Xi"}
    surfaces = _surfaces(knowledge.people)
    for surname in ("li", "wang", "zhang", "liu", "zhao", "han", "hu", "ding"):
        assert surname not in surfaces, surname


def test_events_reference_existing_people_and_places(knowledge: Knowledge) -> None:
    people = {p.id for p in knowledge.people}
    places = _surfaces(knowledge.places)
    for event in knowledge.events:
        assert set(event.people) <= people, event.id
        assert event.start <= event.end, event.id
        assert event.place is None or event.place.casefold() in places, event.id
        assert all(k == k.lower() for k in event.keywords), event.id


def test_role_years_are_sane(knowledge: Knowledge) -> None:
    for person in knowledge.people:
        assert person.roles, person.id
        for role in person.roles:
            assert role.start is not None, (person.id, role)
            assert 1949 <= role.start <= THIS_YEAR, (person.id, role)
            assert role.end is None or role.start <= role.end <= THIS_YEAR, (person.id, role)


@pytest.mark.parametrize(("title", "years", "expected"), [
    ("Premier of the State Council", (2014, 2017, 2018, 2022), {"li-keqiang"}),
    ("Premier of the State Council", (2024, 2025), {"li-qiang"}),
    ("President of the People's Republic of China", (2014, 2018, 2023), {"xi-jinping"}),
    ("General Secretary of the CPC Central Committee", (2013, 2023), {"xi-jinping"}),
    (PUBLICITY, (2014, 2016), {"liu-qibao"}),
    (PUBLICITY, (2019, 2021), {"huang-kunming"}),
    (PUBLICITY, (2023,), {"li-shulei"}),
    ("Director of the Cyberspace Administration of China", (2015,), {"lu-wei"}),
    ("Director of the Cyberspace Administration of China", (2017,), {"xu-lin"}),
    ("Director of the Cyberspace Administration of China", (2019, 2023), {"zhuang-rongwen"}),
    ("Chairman of the National People's Congress Standing Committee", (2016,), {"zhang-dejiang"}),
    ("Chairman of the National People's Congress Standing Committee", (2020,), {"li-zhanshu"}),
    ("Chairman of the National People's Congress Standing Committee", (2024,), {"zhao-leji"}),
    ("Chairman of the CPPCC National Committee", (2015,), {"yu-zhengsheng"}),
    ("Chairman of the CPPCC National Committee", (2020,), {"wang-yang"}),
    ("Chairman of the CPPCC National Committee", (2024,), {"wang-huning"}),
])
def test_single_holder_offices(knowledge: Knowledge, title: str, years: tuple[int, ...],
                               expected: set[str]) -> None:
    for year in years:
        assert _holders(knowledge, title, year) == expected, year


@pytest.mark.parametrize(("years", "members"), [
    ((2013, 2014, 2015, 2016), {"xi-jinping", "li-keqiang", "zhang-dejiang", "yu-zhengsheng",
                                "liu-yunshan", "wang-qishan", "zhang-gaoli"}),
    ((2018, 2019, 2020, 2021), {"xi-jinping", "li-keqiang", "li-zhanshu", "wang-yang",
                                "wang-huning", "zhao-leji", "han-zheng"}),
    ((2023, 2024, 2025), {"xi-jinping", "li-qiang", "zhao-leji", "wang-huning", "cai-qi",
                          "ding-xuexiang", "li-xi"}),
])
def test_politburo_standing_committees(knowledge: Knowledge, years: tuple[int, ...],
                                       members: set[str]) -> None:
    for year in years:
        assert _holders(knowledge, PBSC, year) == members, year


@pytest.mark.parametrize(("years", "holders"), [
    ((2014, 2015, 2016, 2017), {"zhang-gaoli", "liu-yandong", "wang-yang", "ma-kai"}),
    ((2019, 2020, 2021, 2022), {"han-zheng", "sun-chunlan", "hu-chunhua", "liu-he"}),
    ((2024, 2025), {"ding-xuexiang", "he-lifeng", "zhang-guoqing", "liu-guozhong"}),
])
def test_vice_premiers(knowledge: Knowledge, years: tuple[int, ...], holders: set[str]) -> None:
    for year in years:
        assert _holders(knowledge, "Vice Premier", year, exact=False) == holders, year


def test_seed_officials_resolve(knowledge: Knowledge) -> None:
    """Every Chinese official named in a seed capture resolves to a curated person."""
    text = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt")))
    surnames = "Xi|Li|Liu|Wang|Zhao|Han|Cai|Ding|Zhang|Yu|Huang|Lu|Xu|Zhuang|Sun"
    headline_verbs = {"Speaks", "Stresses", "Says", "Calls", "Urges", "Outlines"}
    found = {m for m in re.findall(rf"\b(?:{surnames}) [A-Z][a-z]+\b", text)
             if m.split()[1] not in headline_verbs}  # "President Xi Speaks on ..."
    expected = {"Xi Jinping", "Li Keqiang", "Liu Yunhhan", "Wang Huning", "Li Zhanshu",
                "Wang Yang", "Zhao Leji", "Han Zheng", "Cai Qi", "Ding Xuexiang", "Li Shulei"}
    assert expected <= found  # the scan itself works
    surfaces = _surfaces(knowledge.people)
    # The misspelling is not curated as an alias: the people finder's fuzzy match resolves it.
    assert {name for name in found if name.casefold() not in surfaces} == {"Liu Yunhhan"}
    assert surfaces["xi"] == "xi-jinping"


def test_seed_events_are_curated(knowledge: Knowledge) -> None:
    events = {e.id: e for e in knowledge.events}
    expected = {
        "cybersecurity-informatization-symposium-2016": ("2016-04-19", "2016-04-19"),
        "national-cybersecurity-informatization-conference-2018": ("2018-04-20", "2018-04-21"),
        "national-cybersecurity-informatization-conference-2023": ("2023-07-14", "2023-07-15"),
    }
    for event_id, (start, end) in expected.items():
        event = events[event_id]
        assert (event.start.isoformat(), event.end.isoformat()) == (start, end)
        assert event.place == "Beijing" and "xi-jinping" in event.people
        assert {"cybersecurity and informatization", "informatisation"} <= set(event.keywords)
    assert "cyber security and information technology application" in events[
        "national-cybersecurity-informatization-conference-2023"].keywords
    attendees_2018 = set(events["national-cybersecurity-informatization-conference-2018"].people)
    assert {"li-keqiang", "wang-huning", "li-zhanshu", "wang-yang", "zhao-leji",
            "han-zheng"} <= attendees_2018


def test_key_organizations(knowledge: Knowledge) -> None:
    orgs = {o.id: o for o in knowledge.organizations}
    surfaces = _surfaces(knowledge.organizations)
    for alias in ("CPC", "Communist Party of China", "Chinese Communist Party", "CCP",
                  "Communist Party of China (CPC)"):
        assert surfaces[alias.casefold()] == "communist-party-of-china"
    assert surfaces["cybersecurity administration of china"] == "cac"
    assert surfaces["central cybersecurity and informatization leading group"] == "ccilg"
    assert orgs["ccilg"].roles[0].start == 2014 and orgs["ccilg"].roles[0].end == 2018
    assert orgs["central-cyberspace-affairs-commission"].roles[0].start == 2018
    for org in knowledge.organizations:
        assert len(org.roles) <= 1 and all(r.title == "active" for r in org.roles), org.id
    for name in ("CPC Central Committee", "Politburo", "Politburo Standing Committee",
                 "Secretariat of the CPC Central Committee", "Central Military Commission",
                 "State Council", "Central Publicity Department", "National People's Congress",
                 "CPPCC", "MIIT", "Ministry of Public Security", "Ministry of State Security",
                 "United Nations"):
        assert name.casefold() in surfaces, name


def test_places(knowledge: Knowledge) -> None:
    places = {p.id: p for p in knowledge.places}
    kinds = Counter(p.roles[0].title for p in knowledge.places)
    assert set(kinds) <= {"city", "province", "country", "region"}
    assert kinds["country"] >= 190
    assert places["china"].roles[0].title == "country"
    assert places["beijing"].roles[0].title == "city"
    assert places["guangdong"].roles[0].title == "province"
    assert places["xian"].name == "Xi'an" and places["wuzhen"].roles[0].title == "city"
    surfaces = _surfaces(knowledge.places)
    assert surfaces["u.s."] == "united-states" and surfaces["prc"] == "china"


def test_outlets_agencies_topics(knowledge: Knowledge) -> None:
    outlets, agencies = _surfaces(knowledge.outlets), _surfaces(knowledge.agencies)
    for name in ("Asian Lite News", "China Daily", "chinadaily.com.cn", "Global Times",
                 "People's Daily", "CGTN", "South China Morning Post", "Reuters", "BBC",
                 "The Guardian", "New York Times", "Washington Post", "Hindustan Times",
                 "The Hindu", "Times of India", "NDTV", "Nikkei Asia", "The Diplomat",
                 "Sixth Tone", "Caixin", "China Digital Times", "ecns"):
        assert name.casefold() in outlets, name
    for name in ("Xinhua", "Xinhua News Agency", "Reuters", "AFP", "Agence France-Presse",
                 "AP", "Associated Press", "Bloomberg", "Kyodo", "Yonhap", "TASS", "PTI",
                 "IANS", "ANI", "dpa", "EFE", "ANSA", "China News Service"):
        assert name.casefold() in agencies, name
    for entity in (*knowledge.outlets, *knowledge.agencies):
        assert entity.url and entity.url.startswith("https://"), entity.id
    tags = dict(knowledge.topics)
    assert [t for t, _ in knowledge.topics] == sorted(tags)
    for tag in ("cybersecurity", "informatization", "internet governance", "digital economy",
                "artificial intelligence", "military-civil fusion", "science and technology",
                "international cooperation", "propaganda and public opinion", "rule of law"):
        assert tags[tag], tag
    assert all(k == k.lower() for kws in tags.values() for k in kws)


# --------------------------------------------------------------------------- loader behaviour
def test_valid_fixture(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="build_scripts.knowledge"):
        k = load_knowledge(FIXTURES / "valid")
    assert [p.id for p in k.people] == ["cai-qi", "xi-jinping"]
    xi = k.people[1]
    assert xi.kind == "person" and xi.aliases == ("Xi",) and xi.wikidata == "Q15031"
    assert xi.roles[0].title == "President of the People's Republic of China"
    assert xi.roles[0].start == 2013 and xi.roles[0].end is None
    assert k.people[0].aliases == () and k.people[0].roles == ()
    ccilg = k.organizations[0]
    assert ccilg.id == "central-leading-group-for-cybersecurity-and-informatization"
    assert ccilg.roles == (Role("active", 2014, 2018),)
    assert k.organizations[1].roles == ()
    assert [p.id for p in k.places] == ["cote-divoire", "xian"]
    assert k.agencies[0].id == "agence-france-presse" and k.agencies[0].url == "https://www.afp.com"
    assert k.outlets == ()  # outlets.yaml is missing: no entries
    event = k.events[0]
    assert event.start == event.end == dt.date(2016, 4, 19)  # quoted date accepted too
    assert event.people == ("xi-jinping",)
    assert k.topics == (("cybersecurity", ("cybersecurity", "cyber security")),
                        ("rule of law", ("rule of law",)))
    assert "place 'Beijing' is not in places.yaml" in caplog.text


def test_empty_folder_is_empty_knowledge(tmp_path: Path) -> None:
    assert load_knowledge(tmp_path) == Knowledge()
    (tmp_path / "people.yaml").write_text("# nothing yet\n", encoding="utf-8")
    assert load_knowledge(tmp_path) == Knowledge()


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(KnowledgeError, match="not found"):
        load_knowledge(tmp_path / "nope")


# Each case: fixture folder, file, line, key, words the message must contain.
ERROR_CASES = [
    ("malformed_yaml", "people.yaml", 6, None, ["malformed YAML"]),
    ("unknown_key", "people.yaml", 7, "people[1].alias",
     ["unknown key 'alias'", "'li-keqiang'", "allowed keys"]),
    ("wrong_type", "people.yaml", 16, "people[1].roles[1].start",
     ["'li-qiang'", "expected a year (integer)", "'twenty'"]),
    ("duplicate_id", "organizations.yaml", 6, "organizations[1].name",
     ["duplicate id 'cac'", "organizations[0]"]),
    ("end_before_start", "events.yaml", 11, "events[1].end",
     ["'backwards-event'", "end date 2018-04-20 is before start date 2018-04-21"]),
    ("unknown_person", "events.yaml", 6, "events[0].people[1]",
     ["unknown person id 'li-keqaing'", "people.yaml"]),
    ("duplicate_alias", "people.yaml", 6, "people[1].aliases",
     ["'li'", "also a name or alias of 'li-keqiang'"]),
    ("duplicate_key", "places.yaml", 6, "places[1].kind", ["duplicate key 'kind'"]),
    ("role_end_before_start", "people.yaml", 6, "people[0].roles[0].end",
     ["'wang-yang'", "end year 2013 is before start year 2018"]),
    ("bad_id", "agencies.yaml", 3, "agencies[1].id", ["lowercase slug", "'Xinhua_News'"]),
    ("bad_place_kind", "places.yaml", 3, "places[1].kind", ["'wuzhen'", "'town'"]),
    ("bad_date", "events.yaml", 5, "events[0].end", ["expected a date YYYY-MM-DD", "2023-04-31"]),
    ("missing_name", "outlets.yaml", 3, "outlets[1]",
     ["'global-times'", "missing required key 'name'"]),
]


@pytest.mark.parametrize(("case", "filename", "line", "key", "words"), ERROR_CASES,
                         ids=[c[0] for c in ERROR_CASES])
def test_validation_errors(case: str, filename: str, line: int, key: str | None,
                           words: list[str]) -> None:
    folder = FIXTURES / case
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(folder)
    err = info.value
    path = str(folder / filename)
    assert (err.path, err.line, err.key) == (path, line, key)
    message = str(err)
    where = f"{path}:{line}" + (f" [{key}]" if key else "")
    assert message.startswith(f"{where}: "), message
    for word in words:
        assert word in message, (word, message)


@pytest.mark.parametrize(("text", "words"), [
    ("{a: 1}\n", ["expected a list of people entries"]),
    ("- just a string\n", ["expected a person entry", "'just a string'"]),
    ("- {name: X, aliases: Xi}\n", ["expected a list of text"]),
    ("- {name: X, aliases: [Xi, Xi]}\n", ["[people[0].aliases[1]]", "listed twice"]),
    ("- {name: X, wikidata: 15031}\n", ["expected non-empty text"]),
    ("- {name: X, wikidata: X15031}\n", ["Wikidata id"]),
    ("- {name: X, roles: [{title: T, start: true}]}\n", ["expected a year", "True"]),
    ("- {name: X, roles: [{title: T, start: 20}]}\n", ["out of range"]),
    ("- {name: X, roles: [{start: 2012}]}\n", ["missing required key 'title'"]),
    ("- {name: 习近平}\n", ["cannot derive an id", "add an 'id'"]),
])
def test_more_people_errors(tmp_path: Path, text: str, words: list[str]) -> None:
    (tmp_path / "people.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert info.value.path == str(tmp_path / "people.yaml") and info.value.line == 1
    for word in words:
        assert word in str(info.value), (word, str(info.value))


@pytest.mark.parametrize(("filename", "text", "words"), [
    ("topics.yaml", "- cybersecurity\n", ["expected a mapping of tag: [keywords]"]),
    ("topics.yaml", "cybersecurity: []\n", ["non-empty list of keywords"]),
    ("topics.yaml", "cybersecurity: [cyber, 3]\n",
     ["[topics.cybersecurity[1]]", "expected non-empty text"]),
    ("outlets.yaml", "- {name: X, url: www.x.com}\n", ["http(s)://"]),
    ("organizations.yaml", "- {name: X, start: 2018, end: 2014}\n", ["before start year"]),
    ("events.yaml", "- {id: e, title: T, start: 2018-01-01}\n", ["missing required key 'end'"]),
    ("events.yaml", "- {title: T, start: 2018-01-01, end: 2018-01-02}\n",
     ["missing required key 'id'"]),
])
def test_more_file_errors(tmp_path: Path, filename: str, text: str, words: list[str]) -> None:
    (tmp_path / filename).write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert info.value.path == str(tmp_path / filename) and info.value.line == 1
    for word in words:
        assert word in str(info.value), (word, str(info.value))


# --------------------------------------------------------------------------- issue 4
def test_state_offices_change_hands_in_march(knowledge: Knowledge) -> None:
    roles = {p.id: p.roles for p in knowledge.people}
    premier = "Premier of the State Council"
    keqiang = next(r for r in roles["li-keqiang"] if r.title == premier)
    qiang = next(r for r in roles["li-qiang"] if r.title == premier)
    assert (keqiang.end, keqiang.end_month, qiang.start, qiang.start_month) == (2023, 3, 2023, 3)
    assert keqiang.covers_month(2023, 2) and not qiang.covers_month(2023, 2)
    assert keqiang.covers_month(2023, 3) and qiang.covers_month(2023, 3)  # the month of the handover
    assert qiang.covers_month(2023, 7) and not keqiang.covers_month(2023, 7)
    assert keqiang.covers_month(2023, None) and qiang.covers_month(2023, None)


@pytest.mark.parametrize(("text", "words"), [
    ('- {name: X, roles: [{title: T, start: "2023-13"}]}\n', ["month 13 is out of range"]),
    ('- {name: X, roles: [{title: T, start: "March 2023"}]}\n', ["expected a year (integer)", "'March 2023'"]),
    ('- {name: X, roles: [{title: T, start: "2023-05", end: "2023-03"}]}\n',
     ["end year 2023-03 is before start year 2023-05"]),
])
def test_role_months_are_validated(tmp_path: Path, text: str, words: list[str]) -> None:
    (tmp_path / "people.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    for word in words:
        assert word in str(info.value), (word, str(info.value))


def test_formulations_file_loads(knowledge: Knowledge) -> None:
    ids = {f.id for f in knowledge.formulations}
    assert {"cyber-power", "community-shared-future-cyberspace", "positive-energy", "military-civil-fusion",
            "no-national-security-without-cybersecurity", "digital-silk-road"} <= ids
    power = next(f for f in knowledge.formulations if f.id == "cyber-power")
    assert power.variants[0] == power.name == "cyber power"
    assert {"strength in cyberspace", "cyber superpower", "internet power"} <= set(power.variants)
    wordings = [v.casefold() for f in knowledge.formulations for v in f.variants]
    assert len(wordings) == len(set(wordings))


@pytest.mark.parametrize(("text", "line", "words"), [
    ("- {id: a, name: cyber power}\n- {id: b, name: Cyber Power}\n", 2,
     ["[formulations[1].variants]", "'Cyber Power' is also a wording of 'a'"]),
    ("- {id: a, name: cyber power, variant: [x]}\n", 1, ["unknown key 'variant'"]),
    ("- {id: a, name: cyber power, variants: [abc]}\n", 1, ["too short"]),
    ("- {name: cyber power}\n", 1, ["missing required key 'id'"]),
    ("- {id: a, name: cyber power}\n- {id: a, name: other}\n", 2, ["duplicate id 'a'"]),
])
def test_formulation_errors(tmp_path: Path, text: str, line: int, words: list[str]) -> None:
    (tmp_path / "formulations.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError) as info:
        load_knowledge(tmp_path)
    assert info.value.path == str(tmp_path / "formulations.yaml") and info.value.line == line
    for word in words:
        assert word in str(info.value), (word, str(info.value))
