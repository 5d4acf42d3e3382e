"""Recurrence rules as RFC 5545 defines them: the section 3.8.5.3 examples against dateutil's own expansion,
UNTIL as a UTC instant, a wall-clock time or a date, COUNT from DTSTART, and what a plan check refuses."""

import json
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

import pytest
from dateutil.rrule import rrulestr

from bot.cli import main
from bot.config import ConfigError, parse_config
from bot.plan.occurrences import occurrences_between, rule_occurrences
from bot.plan.recurrence import expand, parse_rule
from tests.conftest import STOCKHOLM, local
from tests.plan_support import dm_item, one_person_association
from tests.text_tables import table_lines

# RFC 5545 3.8.5.3, the examples that are one RRULE, a line each: "DTSTART RRULE name" (a line indented by eight
# spaces goes on the one before it). The RFC's DTSTART is 09:00 in America/New_York; here it is 09:00 in
# Europe/Stockholm, the wall-clock convention of plan items.
RFC_TABLE = """
19970902 FREQ=DAILY;COUNT=10 daily for 10 occurrences
19970902 FREQ=DAILY;UNTIL=19971224T000000Z daily until December 24, 1997
19970902 FREQ=DAILY;INTERVAL=2 every other day
19970902 FREQ=DAILY;INTERVAL=10;COUNT=5 every 10 days, 5 occurrences
19980101 FREQ=YEARLY;UNTIL=20000131T140000Z;BYMONTH=1;BYDAY=SU,MO,TU,WE,TH,FR,SA every day in January for 3 years
        (yearly)
19980101 FREQ=DAILY;UNTIL=20000131T140000Z;BYMONTH=1 every day in January for 3 years (daily)
19970902 FREQ=WEEKLY;COUNT=10 weekly for 10 occurrences
19970902 FREQ=WEEKLY;UNTIL=19971224T000000Z weekly until December 24, 1997
19970902 FREQ=WEEKLY;INTERVAL=2;WKST=SU every other week
19970902 FREQ=WEEKLY;UNTIL=19971007T000000Z;WKST=SU;BYDAY=TU,TH weekly on Tuesday and Thursday for five weeks (until)
19970902 FREQ=WEEKLY;COUNT=10;WKST=SU;BYDAY=TU,TH weekly on Tuesday and Thursday for five weeks (count)
19970901 FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR every other week on Monday, Wednesday
        and Friday until December 24, 1997
19970902 FREQ=WEEKLY;INTERVAL=2;COUNT=8;WKST=SU;BYDAY=TU,TH every other week on Tuesday and Thursday, 8 occurrences
19970905 FREQ=MONTHLY;COUNT=10;BYDAY=1FR monthly on the first Friday for 10 occurrences
19970905 FREQ=MONTHLY;UNTIL=19971224T000000Z;BYDAY=1FR monthly on the first Friday until December 24, 1997
19970907 FREQ=MONTHLY;INTERVAL=2;COUNT=10;BYDAY=1SU,-1SU every other month on the first and last Sunday, 10
        occurrences
19970922 FREQ=MONTHLY;COUNT=6;BYDAY=-2MO monthly on the second-to-last Monday for 6 months
19970928 FREQ=MONTHLY;BYMONTHDAY=-3 monthly on the third-to-the-last day of the month
19970902 FREQ=MONTHLY;COUNT=10;BYMONTHDAY=2,15 monthly on the 2nd and 15th, 10 occurrences
19970930 FREQ=MONTHLY;COUNT=10;BYMONTHDAY=1,-1 monthly on the first and last day, 10 occurrences
19970910 FREQ=MONTHLY;INTERVAL=18;COUNT=10;BYMONTHDAY=10,11,12,13,14,15 every 18 months on the 10th to 15th, 10
        occurrences
19970902 FREQ=MONTHLY;INTERVAL=2;BYDAY=TU every Tuesday, every other month
19970610 FREQ=YEARLY;COUNT=10;BYMONTH=6,7 yearly in June and July for 10 occurrences
19970310 FREQ=YEARLY;INTERVAL=2;COUNT=10;BYMONTH=1,2,3 every other year on January, February and March, 10 occurrences
19970101 FREQ=YEARLY;INTERVAL=3;COUNT=10;BYYEARDAY=1,100,200 every third year on the 1st, 100th and 200th day, 10
        occurrences
19970519 FREQ=YEARLY;BYDAY=20MO every 20th Monday of the year
19970512 FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO Monday of week number 20
19970313 FREQ=YEARLY;BYMONTH=3;BYDAY=TH every Thursday in March
19970605 FREQ=YEARLY;BYDAY=TH;BYMONTH=6,7,8 every Thursday in June, July and August
19970902 FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13 every Friday the 13th
19970913 FREQ=MONTHLY;BYDAY=SA;BYMONTHDAY=7,8,9,10,11,12,13 the first Saturday that follows the first Sunday of the
        month
19961105 FREQ=YEARLY;INTERVAL=4;BYMONTH=11;BYDAY=TU;BYMONTHDAY=2,3,4,5,6,7,8 US presidential election day
19970904 FREQ=MONTHLY;COUNT=3;BYDAY=TU,WE,TH;BYSETPOS=3 the third instance into the month of one of Tuesday, Wednesday
        or Thursday, for 3 months
19970929 FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-2 the second-to-last weekday of the month
19970805 FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=MO WKST=MO: every other week on Tuesday and Sunday, 4
        occurrences
19970805 FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=SU WKST=SU: every other week on Tuesday and Sunday, 4
        occurrences
20070115 FREQ=MONTHLY;BYMONTHDAY=15,30;COUNT=5 an invalid date (30 February) is skipped
"""
RFC_EXAMPLES = [(name, start, rule) for start, rule, name in (line.split(" ", 2) for line in table_lines(RFC_TABLE))]
RFC_RULES = {name: (start, rule) for name, start, rule in RFC_EXAMPLES}
NINE = time(9, 0)
WINDOW_END = local(2011, 12, 31, 23, 59)


def _start(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()


def _window(start: str) -> tuple[datetime, datetime]:
    """From the example's DTSTART through five more years."""
    first = datetime.combine(_start(start), time(), tzinfo=STOCKHOLM)
    return first, first.replace(year=first.year + 5)


def dateutil_expansion(start: date, rule: str, first: datetime, last: datetime) -> list[datetime]:
    """dateutil's own reading: an aware DTSTART in Stockholm, the RRULE as written (UNTIL in UTC)."""
    dtstart = datetime.combine(start, NINE, tzinfo=STOCKHOLM)
    return list(rrulestr(rule, dtstart=dtstart).between(first, last, inc=True))


@pytest.mark.parametrize(("name", "start", "rule"), RFC_EXAMPLES, ids=[example[0] for example in RFC_EXAMPLES])
def test_the_expansion_is_dateutils_for_each_rfc_example(name, start, rule):
    first, last = _window(start)
    ours = list(expand(parse_rule(rule), _start(start), NINE, STOCKHOLM, first, last))
    theirs = dateutil_expansion(_start(start), rule, first, last)
    assert ours == theirs and ours
    assert [moment.isoformat() for moment in ours] == [moment.isoformat() for moment in theirs]
    assert {moment.strftime("%H:%M") for moment in ours} == {"09:00"}  # across every clock change


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("daily for 10 occurrences", [(1997, 9, day) for day in range(2, 12)]),
        ("monthly on the second-to-last Monday for 6 months",
         [(1997, 9, 22), (1997, 10, 20), (1997, 11, 17), (1997, 12, 22), (1998, 1, 19), (1998, 2, 16)]),
        ("monthly on the first and last day, 10 occurrences",
         [(1997, 9, 30), (1997, 10, 1), (1997, 10, 31), (1997, 11, 1), (1997, 11, 30), (1997, 12, 1),
          (1997, 12, 31), (1998, 1, 1), (1998, 1, 31), (1998, 2, 1)]),
        ("every Friday the 13th",
         [(1998, 2, 13), (1998, 3, 13), (1998, 11, 13), (1999, 8, 13), (2000, 10, 13), (2001, 4, 13),
          (2001, 7, 13)]),
        ("US presidential election day", [(1996, 11, 5), (2000, 11, 7)]),
        ("the third instance into the month of one of Tuesday, Wednesday or Thursday, for 3 months",
         [(1997, 9, 4), (1997, 10, 7), (1997, 11, 6)]),
        ("WKST=MO: every other week on Tuesday and Sunday, 4 occurrences",
         [(1997, 8, 5), (1997, 8, 10), (1997, 8, 19), (1997, 8, 24)]),
        ("WKST=SU: every other week on Tuesday and Sunday, 4 occurrences",
         [(1997, 8, 5), (1997, 8, 17), (1997, 8, 19), (1997, 8, 31)]),
        ("an invalid date (30 February) is skipped",
         [(2007, 1, 15), (2007, 1, 30), (2007, 2, 15), (2007, 3, 15), (2007, 3, 30)]),
        ("Monday of week number 20", [(1997, 5, 12), (1998, 5, 11), (1999, 5, 17), (2000, 5, 15), (2001, 5, 14)]),
    ],
)  # fmt: skip
def test_the_rfcs_own_listed_instances(name, expected):
    """The instances RFC 5545 lists; Friday the 13th from a 2 September start, which the RFC excludes with an
    EXDATE (for it DTSTART is always an instance): here `start` counts only when it matches the rule."""
    start, rule = RFC_RULES[name]
    found = expand(parse_rule(rule), _start(start), NINE, STOCKHOLM, *_window(start))
    assert [moment.date() for moment in found] == [date(*day) for day in expected]


BASE = one_person_association()


def item(item_id: str, rule: str, start: str, clock: str = "09:00", non_working_day: str = "keep") -> str:
    schedule = f'{{rrule: "{rule}", start: {start}, time: "{clock}"}}'
    return dm_item(item_id, schedule, title=f"Punkt {item_id}", non_working_day=non_working_day)


def _iso(text: str) -> str:
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def test_every_rfc_example_as_a_plan_item_with_keep_goes_out_as_dateutil_expands_it():
    items = [item(f"rfc-{number}", rule, _iso(start)) for number, (_, start, rule) in enumerate(RFC_EXAMPLES)]
    config = parse_config(BASE + "".join(items))
    begin = local(1996, 1, 1, 0, 0)
    found = occurrences_between(config, begin, WINDOW_END)
    for number, (name, start, rule) in enumerate(RFC_EXAMPLES):
        ours = [occurrence.at for occurrence in found if occurrence.item.id == f"rfc-{number}"]
        assert ours == dateutil_expansion(_start(start), rule, begin, WINDOW_END), name
        assert all(occurrence.at == occurrence.nominal for occurrence in found)


# UNTIL ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("until", "last"),
    [
        ("20270601T070000Z", date(2027, 6, 1)),  # 09:00 summer time is 07:00 UTC: included
        ("20270601T065959Z", date(2027, 5, 31)),
        ("20270601T090000", date(2027, 6, 1)),  # a wall-clock UNTIL compares with the wall-clock time
        ("20270601T085959", date(2027, 5, 31)),
        ("20270601", date(2027, 6, 1)),  # a DATE includes that day
        ("20270531", date(2027, 5, 31)),
    ],
)
def test_until_is_an_instant_a_wall_clock_time_or_a_date(until, last):
    config = parse_config(BASE + item("punkt", f"FREQ=DAILY;UNTIL={until}", "2027-05-25"))
    found = occurrences_between(config, local(2027, 5, 28, 0, 0), local(2027, 6, 30, 0, 0))
    assert found[-1].at.date() == last and found[-1].at.strftime("%H:%M") == "09:00"
    assert [occurrence.at.date() for occurrence in found][0] == date(2027, 5, 28)


def test_a_utc_until_in_winter_is_an_hour_from_the_summer_one():
    """09:00 CET is 08:00 UTC: UNTIL=...T080000Z keeps the day, T075959Z does not."""
    kept = parse_config(BASE + item("punkt", "FREQ=WEEKLY;UNTIL=20270105T080000Z", "2026-12-01"))
    dropped = parse_config(BASE + item("punkt", "FREQ=WEEKLY;UNTIL=20270105T075959Z", "2026-12-01"))
    window = (local(2026, 12, 1, 0, 0), local(2027, 1, 31, 0, 0))
    assert occurrences_between(kept, *window)[-1].at == local(2027, 1, 5, 9, 0)
    assert occurrences_between(dropped, *window)[-1].at == local(2026, 12, 29, 9, 0)


def test_count_counts_from_start_whatever_the_window():
    config = parse_config(BASE + item("punkt", "FREQ=DAILY;COUNT=40", "2027-01-01"))
    found = occurrences_between(config, local(2027, 2, 1, 0, 0), local(2027, 12, 31, 0, 0))
    assert [occurrence.at.date() for occurrence in found] == [date(2027, 2, day) for day in range(1, 10)]


def test_a_time_in_the_spring_gap_is_read_with_the_offset_before_it():
    """02:30 does not exist on 28 March 2027; RFC 5545 3.3.5 makes it 03:30 summer time (01:30 UTC)."""
    config = parse_config(BASE + item("punkt", "FREQ=DAILY", "2027-03-27", clock="02:30"))
    found = occurrences_between(config, local(2027, 3, 27, 0, 0), local(2027, 3, 29, 23, 0))
    assert [occurrence.at.isoformat() for occurrence in found] == [
        "2027-03-27T02:30:00+01:00",
        "2027-03-28T03:30:00+02:00",
        "2027-03-29T02:30:00+02:00",
    ]


def test_a_repeated_autumn_time_is_the_first_and_each_window_sees_it_once():
    config = parse_config(BASE + item("punkt", "FREQ=DAILY", "2027-10-30", clock="02:30"))
    [occurrence] = occurrences_between(config, local(2027, 10, 31, 0, 0), local(2027, 10, 31, 12, 0))
    assert occurrence.at.astimezone(UTC) == datetime(2027, 10, 31, 0, 30, tzinfo=UTC)
    # Windows given in UTC either side of the first 02:30 (the second 02:30 is 01:30 UTC).
    edges = [datetime(2027, 10, 31, 0, 0, tzinfo=UTC) + timedelta(minutes=15 * step) for step in range(9)]
    seen = [len(occurrences_between(config, a + timedelta(microseconds=1), b)) for a, b in pairwise(edges)]
    assert seen == [0, 1, 0, 0, 0, 0, 0, 0]


def test_the_nominal_expansion_of_an_item_is_before_the_working_day_move():
    config = parse_config(BASE + item("punkt", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2027-01-01",
                                      non_working_day="previous"))  # fmt: skip
    plan_item = config.plan_item("punkt")
    nominal = list(rule_occurrences(config, plan_item, local(2027, 1, 1, 0, 0), local(2027, 12, 31, 23, 0)))
    assert nominal[-1] == local(2027, 12, 31, 9, 0)  # nyårsafton, a Friday: still the rule's date
    moved = occurrences_between(config, local(2027, 12, 1, 0, 0), local(2027, 12, 31, 23, 0))
    assert [(o.at, o.nominal, o.key) for o in moved] == [(local(2027, 12, 30, 9, 0), nominal[-1], "2027-12-31")]


# What a plan check refuses ---------------------------------------------------------------------------------


# What a plan check refuses, a rule a line: "RRULE the message that names the fault". (Every fourth year from 2027
# on February 29 never occurs: 2027 + 4n is never a leap year.)
REFUSED = """
FREQ=DAILY;INTERVAL=0 INTERVAL must be a whole number of at least 1, not '0'
FREQ=DAILY;INTERVAL=-1 INTERVAL must be a whole number of at least 1, not '-1'
FREQ=DAILY;COUNT=0 COUNT must be a whole number of at least 1, not '0'
FREQ=DAILY;COUNT=3;UNTIL=20270601 COUNT and UNTIL cannot both be given
FREQ=DAILY;UNTIL=2027-06-01 invalid 'UNTIL': 2027-06-01
FREQ=DAILY;UNTIL=20270230 invalid 'UNTIL': 20270230
FREQ=MONTHLY;BYMONTHDAY=0 invalid 'BYMONTHDAY': 0
FREQ=MONTHLY;BYMONTHDAY=32 invalid 'BYMONTHDAY': 32
FREQ=YEARLY;BYMONTH=13 invalid 'BYMONTH': 13
FREQ=YEARLY;BYYEARDAY=0 invalid 'BYYEARDAY': 0
FREQ=YEARLY;BYWEEKNO=54 invalid 'BYWEEKNO': 54
FREQ=MONTHLY;BYDAY=MO;BYSETPOS=0 invalid 'BYSETPOS': 0
FREQ=MONTHLY;BYDAY=54MO invalid 'BYDAY': 54MO
FREQ=WEEKLY;BYDAY=1MO BYDAY=1MO: a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY
FREQ=YEARLY;BYWEEKNO=20;BYDAY=1MO BYDAY=1MO: a numbered weekday needs
FREQ=MONTHLY;BYWEEKNO=20 BYWEEKNO cannot be used with FREQ=MONTHLY
FREQ=MONTHLY;BYYEARDAY=100 BYYEARDAY cannot be used with FREQ=MONTHLY
FREQ=WEEKLY;BYMONTHDAY=1 BYMONTHDAY cannot be used with FREQ=WEEKLY
FREQ=DAILY;BYSETPOS=1 BYSETPOS needs another BYxxx rule part
FREQ=DAILY;FREQ=WEEKLY FREQ is given twice
BYDAY=MO FREQ is missing
FREQ=DAILY;BYEASTER=0 unknown rule part 'BYEASTER'
FREQ=WEEKLY;BYDAYS=MO unknown rule part 'BYDAYS' (did you mean 'BYDAY'?)
FREQ=DAILY; an empty part
FREQ=HOURLY FREQ=HOURLY is not for a plan item
FREQ=DAILY;BYHOUR=9 BYHOUR is not for a plan item
FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30 the rrule never occurs
FREQ=DAILY;BYMONTH=4;BYMONTHDAY=31 the rrule never occurs
FREQ=MONTHLY;BYDAY=6MO the rrule never occurs
FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29 the rrule never occurs
FREQ=WEEKLY;UNTIL=20261230 the rrule ends (UNTIL) before its first occurrence, 2027-01-01
"""


@pytest.mark.parametrize(("rule", "message"), [line.split(" ", 1) for line in table_lines(REFUSED)])
def test_a_plan_check_refuses_what_rfc_5545_or_a_daily_item_does_not_allow(rule, message):
    with pytest.raises(ConfigError) as caught:
        parse_config(BASE + item("punkt", rule, "2027-01-01"))
    [problem] = caught.value.problems
    assert "plan[0].schedule" in problem.render("f") and message in problem.render("f")


@pytest.mark.parametrize(
    "rule",
    ["freq=monthly;byday=-1fr", "RRULE:FREQ=WEEKLY;BYDAY=MO", "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29",
     "FREQ=DAILY;UNTIL=20270101T080000Z"],
)  # fmt: skip
def test_a_plan_check_accepts_what_rfc_5545_allows(rule):
    parse_config(BASE + item("punkt", rule, "2027-01-01"))


# Through the real CLI ------------------------------------------------------------------------------------


def test_plan_check_lists_every_rule_rfc_5545_refuses(tmp_path, capsys):
    """On the old reading INTERVAL=0 passed the check and then hung every tick; INTERVAL=-1 crashed it."""
    path = tmp_path / "plan.yaml"
    rules = ["FREQ=DAILY;INTERVAL=0", "FREQ=DAILY;INTERVAL=-1", "FREQ=DAILY;COUNT=3;UNTIL=20270601",
             "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30"]  # fmt: skip
    path.write_text(BASE + "".join(item(f"punkt-{n}", rule, "2027-01-01") for n, rule in enumerate(rules)))
    assert main(["plan", "check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert "4 errors in the configuration" in err
    assert "plan[0].schedule: rrule is not a valid RFC 5545 RRULE: INTERVAL must be a whole number" in err
    assert "plan[1].schedule: rrule is not a valid RFC 5545 RRULE: INTERVAL must be a whole number" in err
    assert "plan[2].schedule: rrule is not a valid RFC 5545 RRULE: COUNT and UNTIL cannot both be given" in err
    assert "plan[3].schedule: the rrule never occurs" in err


@pytest.mark.parametrize(
    ("until", "last_day"),
    [("20270601T070000Z", "2027-06-01"), ("20270601T065959Z", "2027-05-31"), ("20270601T085959", "2027-05-31")],
)
def test_plan_show_ends_a_rule_at_its_until(tmp_path, capsys, until, last_day):
    path = tmp_path / "plan.yaml"
    path.write_text(BASE + item("punkt", f"FREQ=DAILY;UNTIL={until}", "2027-05-01"))
    assert main(["plan", "show", "--config", str(path), "--from", "2027-05-30", "--days", "7", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[-1]["at"] == f"{last_day}T09:00:00+02:00"


def test_a_tick_sends_the_last_occurrence_only_when_until_reaches_its_instant(
    monkeypatch, tmp_path, fake_slack, database_url, capsys
):
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    path = tmp_path / "plan.yaml"
    rules = {"ja": "UNTIL=20270601T070000Z", "nej": "UNTIL=20270601T065959Z", "lokal": "UNTIL=20270601T085959"}
    path.write_text(BASE + "".join(item(name, f"FREQ=WEEKLY;{until}", "2027-05-04") for name, until in rules.items()))
    assert main(["tick", "--config", str(path), "--now", "2027-06-01T09:05+02:00"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[:-1] == ["sent     Punkt ja -> Chefen"]
    assert len(fake_slack.posted()) == 1
