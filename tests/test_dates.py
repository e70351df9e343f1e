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
