"""Recognising dates: explicit formats, datelines, month-day ranges and weekdays."""
import pytest

from build_scripts import dates
from build_scripts.records import PartialDate


@pytest.mark.parametrize("text, expected", [
    ("July 16, 2023", PartialDate(2023, 7, 16)),
    ("Jul. 16 2023", PartialDate(2023, 7, 16)),
    ("16 July 2023", PartialDate(2023, 7, 16)),
    ("16th of July, 2023", PartialDate(2023, 7, 16)),
    ("2023-07-16", PartialDate(2023, 7, 16)),
    ("2023/7/16", PartialDate(2023, 7, 16)),
    ("21/04/2018", PartialDate(2018, 4, 21)),
    ("04/21/2018", PartialDate(2018, 4, 21)),
    ("2023年7月16日", PartialDate(2023, 7, 16)),
    ("Updated: Sept. 3, 2019 10:20", PartialDate(2019, 9, 3)),
])
def test_full_dates_in_common_formats(text, expected):
    assert [d for _, d in dates.full_dates(text)] == [expected]


def test_impossible_dates_are_not_dates():
    assert dates.full_dates("February 30, 2023 and 2023-13-01") == []


def test_month_year_is_month_precision():
    assert dates.month_years("published in July 2023") == [PartialDate(2023, 7)]
    assert PartialDate(2023, 7).precision == "month"


@pytest.mark.parametrize("text, expected", [
    ("held in Beijing from July 14th to 15th", [(7, 14), (7, 15)]),
    ("held from 20 April to 21 April, in Beijing", [(4, 20), (4, 21)]),
    ("On Oct. 9, the ministry", [(10, 9)]),
    ("on 14-15 July", [(7, 14), (7, 15)]),
])
def test_month_days_without_year(text, expected):
    assert dates.month_days(text) == expected


def test_weekday_phrases():
    assert dates.weekdays("a meeting held from Friday to Saturday in Beijing") == [4, 5]
    assert dates.weekdays("Xi said on Tuesday") == [1]
    assert dates.weekdays("Friday's decision") == []


@pytest.mark.parametrize("lead, place, month, day, year, agency", [
    ("BEIJING, April 21 -- Chinese President", "BEIJING", 4, 21, None, None),
    ("BEIJING, (Xinhua) — Chinese President", "BEIJING", None, None, None, "Xinhua"),
    ("WASHINGTON, Oct. 9 (Reuters) - The U.S.", "WASHINGTON", 10, 9, None, "Reuters"),
    ("HONG KONG, July 16, 2023 (AFP) -- Police", "HONG KONG", 7, 16, 2023, "AFP"),
    ("New Delhi, Jan 5: The minister", "New Delhi", 1, 5, None, None),
])
def test_datelines(lead, place, month, day, year, agency):
    d = dates.dateline(lead)
    assert d == dates.Dateline(place, month, day, year, agency)


@pytest.mark.parametrize("lead", [
    "Xi, also general secretary of the CPC Central Committee - made",
    "Chinese President Xi Jinping has stressed the need",
    "In Beijing, officials - who met - agreed",
])
def test_not_datelines(lead):
    assert dates.dateline(lead) is None


def test_weekday_consistency_picks_the_year():
    # "on Tuesday" in a story datelined July 13 picks the year where July 12 was a Tuesday.
    assert dates.years_matching_weekday(7, 13, 1, range(2019, 2024)) == [2022]
    # Same-day reporting, when asked for: July 13 itself a Tuesday.
    assert dates.years_matching_weekday(7, 13, 1, range(2019, 2024), offsets=(0,)) == [2021]


# --------------------------------------------------------------------------- issue 4: more formats
def test_iso_timestamps_are_dates():
    assert [d for _, d in dates.full_dates("Published 2023-07-16T10:23:00Z")] == [PartialDate(2023, 7, 16)]


@pytest.mark.parametrize("lead, place, month, day, year, agency", [
    ("BEIJING (Reuters) - Chinese President", "BEIJING", None, None, None, "Reuters"),
    ("Beijing (AFP) - China's leader", "Beijing", None, None, None, "AFP"),
    ("MADRID, 16 July 2023 - A late header", "MADRID", 7, 16, 2023, None),
    ("SHANGHAI, Oct. 9 (Reuters) - China's stocks", "SHANGHAI", 10, 9, None, "Reuters"),
])
def test_more_datelines(lead, place, month, day, year, agency):
    assert dates.dateline(lead) == dates.Dateline(place, month, day, year, agency)


def test_numeric_dates_that_read_both_ways_are_flagged():
    assert dates.ambiguous_numeric("04/05/2023") == [(PartialDate(2023, 5, 4), PartialDate(2023, 4, 5))]
    assert dates.ambiguous_numeric("21/04/2018 and 07/07/2020") == []  # 21 is no month; 7/7 reads one way


def test_weekday_consistency_over_a_tenure():
    # "on Thursday" in a story datelined Nov. 2: Nov. 1 was a Thursday in 2018 only, of 2018-2023.
    assert dates.years_matching_weekday(11, 2, 3, range(2018, 2024)) == [2018]


def _reference_month_days(text):
    """month_days as one plain ``finditer`` per regex over the whole text."""
    out = set()
    for m in dates._MONTH_DAY.finditer(text):
        month, days = dates._month(m["month"]), [int(m["day"])] + ([int(m["day2"])] if m["day2"] else [])
        month2 = dates._month(m["month2"]) if m["month2"] else month
        out.update((mo, d) for mo, d in zip((month, month2), days) if 1 <= d <= 31)
    for m in dates._DAY_MONTH.finditer(text):
        month = dates._month(m["month"])
        out.add((dates._month(m["month0"]) if m["month0"] else month, int(m["day"])))
        if m["day2"]:
            out.add((month, int(m["day2"])))
    return sorted((mo, d) for mo, d in out if 1 <= d <= 31)


def test_scans_that_skip_ahead_find_what_a_full_scan_finds():
    import random

    words = ["July", "JULY", "juLy", "Jul.", "Sept", "sept.", "May", "AUGUST", "Auguſt", "İ", "ı", "on", "ON",
             "from", "to", "and", "last", "this", "since", "until", "till", "Monday", "MONDAY", "tueſday",
             "14", "14th", "3rd", "2023", "-", "–", "of", " ", "\n", ",", "x", "31", "Marketing", "may-", "١٢"]
    rnd = random.Random(3)
    found = 0
    for _ in range(20000):
        text = "".join(rnd.choice(words) + rnd.choice(["", " ", " ", ","]) for _ in range(rnd.randint(1, 10)))
        assert dates.month_days(text) == _reference_month_days(text), text
        wd = sorted({dates.WEEKDAYS[dates._name(m["wd"])] for m in dates._WEEKDAY_RE.finditer(text)})
        assert dates.weekdays(text) == wd, text
        found += bool(wd)
    assert found > 100


def test_names_matched_case_insensitively_are_known_whatever_their_letters():
    """The regexes take "ſ" for "s" and "İ" for "I": such a name must not stop the build."""
    assert dates.weekdays("The talks ended on TUEſDAY.") == [1]
    assert dates.month_days("on Auguſt 14 and İuly 2") == [(8, 14)]  # "İuly" is no month
