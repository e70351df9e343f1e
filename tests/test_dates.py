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
