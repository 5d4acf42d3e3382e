"""The plan calendar: Swedish working days, holidays, daylight saving, RRULEs and offsets from events."""

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.config import parse_config
from bot.plan.occurrences import occurrences_between
from bot.workdays import (
    add_working_days,
    days_off,
    is_working_day,
    move_to_working_day,
    next_working_day,
    previous_working_day,
    working_days_between,
)
from tests.conftest import STOCKHOLM, local
from tests.plan_support import dm_item, one_person_association

BASE = one_person_association(
    settings='settings: {default_time: "08:30"}\n',
    more="""\
events:
  - {id: direktion-jun, kind: board_meeting, title: Direktionsmöte, date: 2027-06-28, time: "13:00"}
  - {id: direktion-maj, kind: board_meeting, title: Direktionsmöte, date: 2027-05-10, time: "13:00"}
  - {id: direktion-jan, kind: board_meeting, title: Direktionsmöte, date: 2027-01-07}
  - {id: budget-2027, kind: budget_dialogue, title: Budgetdialog, date: 2027-03-11}
  - {id: presidium-maj, kind: presidium_meeting, title: Presidieberedning, date: 2027-05-05}
  - {id: presidium-jun, kind: presidium_meeting, title: Presidieberedning, date: 2027-06-24}
""",
)


def item(schedule: str, non_working_day: str = "previous", item_id: str = "punkt") -> str:
    return dm_item(item_id, schedule, title="Punkt", non_working_day=non_working_day)


def plan(*items: str):
    return parse_config(BASE + "".join(items))


def between(config, first: date, last: date):
    start = datetime.combine(first, datetime.min.time(), tzinfo=STOCKHOLM)
    end = datetime.combine(last, datetime.max.time(), tzinfo=STOCKHOLM)
    return occurrences_between(config, start, end)


# Working days -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (date(2027, 1, 1), "Nyårsdagen"),
        (date(2027, 1, 6), "Trettondedag jul"),
        (date(2027, 3, 26), "Långfredagen"),
        (date(2027, 3, 29), "Annandag påsk"),
        (date(2027, 5, 6), "Kristi himmelsfärdsdag"),
        (date(2027, 6, 25), "Midsommarafton"),
        (date(2027, 12, 24), "Julafton"),
        (date(2027, 12, 31), "Nyårsafton"),
    ],
)
def test_holidays_on_weekdays_are_not_working_days(day, name):
    assert day.weekday() < 5
    assert not is_working_day(day)
    assert days_off(day.year)[day] == name


def test_midsommardagen_and_weekends_are_days_off_and_ordinary_days_are_not():
    assert days_off(2027)[date(2027, 6, 26)] == "Midsommardagen"
    assert not is_working_day(date(2027, 6, 26)) and not is_working_day(date(2027, 6, 27))
    assert is_working_day(date(2027, 6, 24)) and is_working_day(date(2027, 6, 28))
    assert is_working_day(date(2027, 5, 7))  # klämdag after Ascension is an ordinary working day
    assert is_working_day(date(2027, 12, 23)) and is_working_day(date(2027, 12, 27))


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2029])
def test_midsommarafton_is_the_friday_between_19_and_25_june(year):
    eve = next(day for day, name in days_off(year).items() if name == "Midsommarafton")
    assert eve.weekday() == 4 and 19 <= eve.day <= 25 and eve.month == 6


def test_previous_and_next_working_day_across_easter_and_midsummer():
    assert previous_working_day(date(2027, 3, 29)) == date(2027, 3, 25)  # Monday after Easter -> Thursday
    assert next_working_day(date(2027, 3, 26)) == date(2027, 3, 30)  # Good Friday -> Tuesday
    assert previous_working_day(date(2027, 6, 27)) == date(2027, 6, 24)
    assert next_working_day(date(2027, 6, 25)) == date(2027, 6, 28)
    assert previous_working_day(date(2028, 1, 1)) == date(2027, 12, 30)  # past nyårsafton
    assert next_working_day(date(2027, 12, 24)) == date(2027, 12, 27)
    assert previous_working_day(date(2027, 6, 24)) == date(2027, 6, 24)


def test_move_to_working_day_rules():
    midsommarafton = date(2027, 6, 25)
    assert move_to_working_day(midsommarafton, "previous") == date(2027, 6, 24)
    assert move_to_working_day(midsommarafton, "next") == date(2027, 6, 28)
    assert move_to_working_day(midsommarafton, "keep") == midsommarafton


def test_adding_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2027, 6, 24), 1) == date(2027, 6, 28)
    assert add_working_days(date(2027, 6, 28), -1) == date(2027, 6, 24)
    assert add_working_days(date(2027, 1, 7), -1) == date(2027, 1, 5)  # over trettondedag jul
    assert add_working_days(date(2027, 5, 10), -5) == date(2027, 4, 30)  # over Kristi himmelsfärd
    assert add_working_days(date(2027, 4, 1), 2) == date(2027, 4, 5)
    assert add_working_days(date(2027, 3, 31), -3) == date(2027, 3, 24)  # over Easter Monday and Good Friday
    assert add_working_days(date(2027, 6, 26), 0) == date(2027, 6, 26)
    assert add_working_days(date(2027, 12, 22), 2) == date(2027, 12, 27)  # over julafton


def test_working_days_between_counts_after_start_through_end():
    assert working_days_between(date(2027, 6, 21), date(2027, 6, 28)) == 4  # 22, 23, 24, 28
    assert working_days_between(date(2027, 6, 28), date(2027, 6, 21)) == -4
    assert working_days_between(date(2027, 3, 25), date(2027, 3, 30)) == 1
    assert working_days_between(date(2027, 5, 5), date(2027, 5, 5)) == 0
    start = date(2027, 1, 4)
    for count in range(1, 40):
        assert working_days_between(start, add_working_days(start, count)) == count


# Occurrences --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "last", "offsets"),
    [
        (date(2027, 3, 15), date(2027, 4, 6), ["+01:00", "+01:00", "+02:00", "+02:00"]),
        (date(2027, 10, 18), date(2027, 11, 9), ["+02:00", "+02:00", "+01:00", "+01:00"]),
    ],
    ids=["spring-forward-28-march", "fall-back-31-october"],
)
def test_an_item_keeps_its_local_time_across_daylight_saving(first, last, offsets):
    config = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=TU", start: 2027-01-05, time: "08:30"}'))
    found = between(config, first, last)
    assert [occurrence.at.strftime("%H:%M") for occurrence in found] == ["08:30"] * 4
    assert [occurrence.at.isoformat()[-6:] for occurrence in found] == offsets
    in_utc = [occurrence.at.astimezone(UTC).strftime("%H:%M") for occurrence in found]
    assert in_utc == ["07:30" if offset == "+01:00" else "06:30" for offset in offsets]


def test_a_monday_item_over_easter_and_the_clock_change():
    """Annandag påsk 2027 is the day after the spring clock change; 'previous' goes back to Thursday (CET)."""
    previous = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04}'))
    following = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04}', "next"))
    kept = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04}', "keep"))
    week = (date(2027, 3, 23), date(2027, 3, 31))
    [before] = between(previous, *week)
    [after] = between(following, *week)
    [same] = between(kept, *week)
    assert before.at == datetime(2027, 3, 25, 8, 30, tzinfo=STOCKHOLM)
    assert before.at.isoformat() == "2027-03-25T08:30:00+01:00"
    assert after.at.isoformat() == "2027-03-30T08:30:00+02:00"
    assert same.at.isoformat() == "2027-03-29T08:30:00+02:00"
    assert before.key == after.key == same.key == "2027-03-29"


def test_midsommarafton_moves_a_friday_item_by_its_rule():
    schedule = '{rrule: "FREQ=WEEKLY;BYDAY=FR", start: 2027-01-01, time: "10:00"}'
    week = (date(2027, 6, 21), date(2027, 6, 30))
    assert [o.at.date() for o in between(plan(item(schedule)), *week)] == [date(2027, 6, 24)]
    assert [o.at.date() for o in between(plan(item(schedule, "next")), *week)] == [date(2027, 6, 28)]
    assert [o.at.date() for o in between(plan(item(schedule, "keep")), *week)] == [date(2027, 6, 25)]


def test_a_monthly_rrule_gives_the_first_tuesday_of_each_month():
    config = plan(item('{rrule: "FREQ=MONTHLY;BYDAY=TU;BYSETPOS=1", start: 2027-01-01, time: "08:30"}'))
    found = between(config, date(2027, 1, 1), date(2027, 6, 30))
    assert [o.at.date() for o in found] == [
        date(2027, 1, 5),
        date(2027, 2, 2),
        date(2027, 3, 2),
        date(2027, 4, 6),
        date(2027, 5, 4),
        date(2027, 6, 1),
    ]
    assert [o.key for o in found][:2] == ["2027-01-05", "2027-02-02"]


def test_an_rrule_starts_at_its_start_date_and_honours_count():
    config = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=WE;COUNT=3", start: 2027-02-01}'))
    found = between(config, date(2027, 1, 1), date(2027, 12, 31))
    assert [o.at.date() for o in found] == [date(2027, 2, 3), date(2027, 2, 10), date(2027, 2, 17)]


def test_a_daily_item_goes_out_once_on_the_working_day_its_days_off_move_to():
    config = plan(item('{rrule: "FREQ=DAILY", start: 2027-06-20, time: "08:30"}'))
    found = between(config, date(2027, 6, 21), date(2027, 6, 30))
    assert [o.at.date().day for o in found] == [21, 22, 23, 24, 28, 29, 30]
    assert [o.key for o in found][3] == "2027-06-24"
    following = plan(item('{rrule: "FREQ=DAILY", start: 2027-06-20, time: "08:30"}', "next"))
    found = between(following, date(2027, 6, 21), date(2027, 6, 30))
    assert [o.at.date().day for o in found] == [21, 22, 23, 24, 28, 29, 30]
    assert [o.key for o in found][4] == "2027-06-28"


def test_the_default_time_applies_when_the_schedule_names_none():
    config = plan(item('{rrule: "FREQ=WEEKLY;BYDAY=WE", start: 2027-01-01}'))
    [occurrence] = between(config, date(2027, 2, 1), date(2027, 2, 7))
    assert occurrence.at == local(2027, 2, 3, 8, 30)


def test_five_working_days_before_each_board_meeting():
    config = plan(item("{relative_to: board_meeting, offset_working_days: -5, time: '09:00'}"))
    found = between(config, date(2027, 1, 1), date(2027, 12, 31))
    assert [(o.key, o.at.date()) for o in found] == [
        ("event:direktion-maj:2027-05-10", date(2027, 4, 30)),  # over Kristi himmelsfärd 6 May
        ("event:direktion-jun:2027-06-28", date(2027, 6, 18)),  # over midsommarafton 25 June
    ]
    assert all(o.event is not None and o.event.kind == "board_meeting" for o in found)
    assert [o.at.strftime("%H:%M") for o in found] == ["09:00", "09:00"]


def test_an_offset_before_new_year_lands_in_the_previous_year():
    config = plan(item("{relative_to: direktion-jan, offset_working_days: -5}"))
    [occurrence] = between(config, date(2026, 12, 1), date(2027, 1, 31))
    # 7 Jan 2027 minus 5 working days, over trettondedag jul, nyårsdagen and nyårsafton
    assert occurrence.at.date() == date(2026, 12, 28)
    assert occurrence.key == "event:direktion-jan:2027-01-07"


def test_the_day_after_the_meeting_moves_to_the_next_working_day():
    config = plan(item("{relative_to: presidium_meeting, offset_days: 1, time: '10:00'}", "next"))
    found = {o.key: o.at for o in between(config, date(2027, 1, 1), date(2027, 12, 31))}
    assert found == {
        "event:presidium-maj:2027-05-05": local(2027, 5, 7, 10, 0),  # 6 May is Kristi himmelsfärd
        "event:presidium-jun:2027-06-24": local(2027, 6, 28, 10, 0),  # 25 June is midsommarafton
    }
    board = plan(item("{relative_to: board_meeting, offset_days: 1}", "next"))
    assert {o.key: o.at.date() for o in between(board, date(2027, 5, 1), date(2027, 5, 31))} == {
        "event:direktion-maj:2027-05-10": date(2027, 5, 11)
    }


def test_an_offset_onto_a_holiday_follows_the_rule():
    # 7 Jan minus one calendar day is trettondedag jul
    previous = plan(item("{relative_to: direktion-jan, offset_days: -1}"))
    keep = plan(item("{relative_to: direktion-jan, offset_days: -1}", "keep"))
    assert [o.at.date() for o in between(previous, date(2027, 1, 1), date(2027, 1, 31))] == [date(2027, 1, 5)]
    assert [o.at.date() for o in between(keep, date(2027, 1, 1), date(2027, 1, 31))] == [date(2027, 1, 6)]


def test_relative_to_an_event_id_picks_only_that_event_and_without_offset_is_the_event_day():
    config = plan(item("{relative_to: budget-2027, time: '07:45'}"))
    [occurrence] = between(config, date(2027, 1, 1), date(2027, 12, 31))
    assert occurrence.at == local(2027, 3, 11, 7, 45) and occurrence.event.id == "budget-2027"


def test_the_window_is_inclusive_and_sorted_across_items():
    config = plan(
        item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}', item_id="b-punkt"),
        item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "09:00"}', item_id="a-punkt"),
        item('{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "08:00"}', item_id="c-punkt"),
    )
    at = local(2027, 2, 1, 9, 0)
    assert [o.item.id for o in occurrences_between(config, at, at)] == ["a-punkt", "b-punkt"]
    found = occurrences_between(config, local(2027, 2, 1, 8, 0), local(2027, 2, 1, 9, 0))
    assert [o.item.id for o in found] == ["c-punkt", "a-punkt", "b-punkt"]
    assert occurrences_between(config, at + timedelta(microseconds=1), at + timedelta(hours=1)) == []


def test_the_de_facto_days_off_come_from_the_holidays_package_every_year():
    """Midsommarafton, julafton and nyårsafton are the package's 'de_facto' category: check its dates for a century."""
    for year in range(2000, 2101):
        named = {name: day for day, name in days_off(year).items()}
        eve = named["Midsommarafton"]
        assert eve.weekday() == 4 and eve.month == 6 and 19 <= eve.day <= 25
        assert named["Julafton"] == date(year, 12, 24) and named["Nyårsafton"] == date(year, 12, 31)
