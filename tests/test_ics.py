"""`samverkan plan ics`: a calendar client that reads the file (icalendar) and expands its RRULEs (dateutil)
sees exactly the occurrences the bot sends, moved working days and daylight saving included."""

from datetime import UTC, datetime

import pytest
from dateutil.rrule import rruleset, rrulestr
from icalendar import Calendar

from bot.cli import main
from bot.config import load_config, parse_config
from bot.plan.ics import plan_calendar
from bot.plan.occurrences import occurrences_between, rule_occurrences
from tests.conftest import EXAMPLE, STOCKHOLM, local
from tests.test_rfc5545 import BASE, RFC_EXAMPLES, item

STAMP = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)


def _dates(prop) -> list[datetime]:
    """The values of an EXDATE property, given once or several times."""
    props = prop if isinstance(prop, list) else [prop]
    return [value.dt for entry in props for value in entry.dts]


def shown(moment: datetime) -> datetime:
    """The instant as a client shows it in Stockholm (a time in the spring gap is shown after it)."""
    return moment.astimezone(UTC).astimezone(STOCKHOLM)


def client_view(data: bytes, moves: bool = True) -> list[tuple[str, datetime]]:
    """(summary, start) of every instance, as a client expands the file; with moves=False only RRULE and
    DTSTART (no EXDATE, no overrides): the rule's own occurrences."""
    calendar = Calendar.from_ical(data)
    events = list(calendar.walk("VEVENT"))
    overrides = {
        (str(event["UID"]), event.decoded("RECURRENCE-ID")): event for event in events if "RECURRENCE-ID" in event
    }
    seen: list[tuple[str, datetime]] = []
    used = set()
    for event in events:
        if "RECURRENCE-ID" in event:
            continue
        start = event.decoded("DTSTART")
        if "RRULE" not in event:
            seen.append((str(event["SUMMARY"]), shown(start)))
            continue
        instances = rruleset()
        instances.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
        if moves:
            for excluded in _dates(event.get("EXDATE", [])):
                instances.exdate(excluded)
        for instance in instances:
            override = overrides.get((str(event["UID"]), instance)) if moves else None
            if override is None:
                seen.append((str(event["SUMMARY"]), shown(instance)))
            else:
                used.add((str(event["UID"]), instance))
                seen.append((str(override["SUMMARY"]), shown(override.decoded("DTSTART"))))
    assert not moves or used == set(overrides), "an override matches no instance of its series"
    return sorted(seen, key=lambda entry: (entry[1], entry[0]))


def bot_view(config, start: datetime, end: datetime, nominal: bool = False) -> list[tuple[str, datetime]]:
    found = occurrences_between(config, start, end)
    if nominal:
        rows = []
        for plan_item in config.plan:
            times = sorted(o.nominal for o in found if o.item.id == plan_item.id)
            if plan_item.schedule.rrule and times:
                rows += [(plan_item.title, at) for at in rule_occurrences(config, plan_item, times[0], times[-1])]
            elif times:
                rows += [(plan_item.title, o.at) for o in found if o.item.id == plan_item.id]
        return sorted(rows, key=lambda entry: (entry[1], entry[0]))
    return sorted(((o.item.title, o.at) for o in found), key=lambda entry: (entry[1], entry[0]))


HOLIDAY_RULES = [
    ("vardag-sist", "FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "2027-01-01", "previous"),
    ("manad-sist", "FREQ=MONTHLY;BYMONTHDAY=-1", "2027-01-01", "next"),
    ("daglig", "FREQ=DAILY", "2027-01-01", "previous"),
    ("daglig-nasta", "FREQ=DAILY;INTERVAL=1", "2027-01-01", "next"),
    ("mandag", "FREQ=WEEKLY;BYDAY=MO;WKST=SU;INTERVAL=2", "2027-01-01", "next"),
    ("fredag-count", "FREQ=WEEKLY;BYDAY=FR;COUNT=30", "2027-01-01", "previous"),
    ("until-utc", "FREQ=WEEKLY;BYDAY=TH;UNTIL=20271230T080000Z", "2027-01-01", "previous"),
    ("vecka", "FREQ=YEARLY;BYWEEKNO=1,25,52;BYDAY=FR", "2027-01-01", "next"),
]


@pytest.fixture(scope="module")
def holiday_config():
    items = [item(item_id, rule, start, non_working_day=rule_) for item_id, rule, start, rule_ in HOLIDAY_RULES]
    # The RFC's rules from a 2027 start, over Swedish holidays (those ending in 1997 left out).
    items += [
        item(f"rfc-{n}", rule, "2027-01-01", "10:00", "previous")
        for n, (_, _, rule) in enumerate(RFC_EXAMPLES)
        if "UNTIL" not in rule
    ]
    return parse_config(BASE + "".join(items))


@pytest.mark.parametrize(
    ("start", "end"),
    [(local(2027, 1, 1, 0, 0), local(2027, 12, 31, 23, 59)), (local(2027, 3, 26, 8, 0), local(2028, 1, 3, 9, 0))],
    ids=["the year 2027", "from Good Friday to after New Year"],
)
def test_a_client_expands_the_export_to_the_bots_occurrences(holiday_config, start, end):
    data = plan_calendar(holiday_config, start, end, STAMP)
    assert client_view(data) == bot_view(holiday_config, start, end)
    assert client_view(data, moves=False) == bot_view(holiday_config, start, end, nominal=True)


def test_moved_and_merged_occurrences_are_overrides_and_exdates(holiday_config):
    data = plan_calendar(holiday_config, local(2027, 12, 20, 0, 0), local(2027, 12, 31, 23, 59), STAMP)
    events = [e for e in Calendar.from_ical(data).walk("VEVENT") if str(e["UID"]).startswith("daglig@")]
    [master] = [e for e in events if "RRULE" in e]
    # Julafton (Fri 24), the weekend and juldagen move back onto Thursday the 23rd and are not sent again.
    assert master.decoded("DTSTART") == local(2027, 12, 20, 9, 0)
    assert master["RRULE"].to_ical() == b"FREQ=DAILY;UNTIL=20271230T080000Z"
    excluded = _dates(master["EXDATE"])
    assert [moment.date().day for moment in excluded] == [24, 25, 26]
    # Nyårsafton moves onto the 30th as well: the series ends there (UNTIL), so the 31st needs no EXDATE.
    moved = [(e.decoded("RECURRENCE-ID"), e.decoded("DTSTART")) for e in events if "RECURRENCE-ID" in e]
    assert moved == []  # every moved day was merged into the working day before it
    # The last day of December is nyårsafton; `next` sends it on Monday 3 January, outside the window.
    assert not [e for e in Calendar.from_ical(data).walk("VEVENT") if str(e["UID"]).startswith("manad-sist@")]


def test_count_and_a_start_that_is_not_an_occurrence_export_as_the_first_occurrence_and_until(holiday_config):
    data = plan_calendar(holiday_config, local(2026, 12, 1, 0, 0), local(2027, 12, 31, 23, 59), STAMP)
    events = list(Calendar.from_ical(data).walk("VEVENT"))
    masters = {str(e["UID"]): e for e in events if "RECURRENCE-ID" not in e}
    count = masters["fredag-count@test.samverkan"]
    assert count.decoded("DTSTART") == local(2027, 1, 1, 9, 0)  # the 30th Friday is 23 July
    assert "COUNT" not in count["RRULE"] and count["RRULE"]["UNTIL"] == [datetime(2027, 7, 23, 7, 0, tzinfo=UTC)]
    # Nyårsdagen, a Friday, goes out on the working day before nyårsafton: 30 December 2026.
    moved = {
        e.decoded("RECURRENCE-ID"): e.decoded("DTSTART")
        for e in events
        if str(e["UID"]) == "fredag-count@test.samverkan" and "RECURRENCE-ID" in e
    }
    assert moved == {
        local(2027, 1, 1, 9, 0): local(2026, 12, 30, 9, 0),
        local(2027, 3, 26, 9, 0): local(2027, 3, 25, 9, 0),
        local(2027, 6, 25, 9, 0): local(2027, 6, 24, 9, 0),  # midsommarafton
    }
    # Friday the 13th from 1 January: the first instance, and DTSTART, is 13 August 2027.
    friday = next(n for n, (_, _, rule) in enumerate(RFC_EXAMPLES) if rule == "FREQ=MONTHLY;BYDAY=FR;BYMONTHDAY=13")
    assert masters[f"rfc-{friday}@test.samverkan"].decoded("DTSTART") == local(2027, 8, 13, 10, 0)


def test_the_rfc_examples_from_their_own_start_export_as_they_expand():
    items = [item(f"rfc-{n}", rule, f"{s[:4]}-{s[4:6]}-{s[6:]}") for n, (_, s, rule) in enumerate(RFC_EXAMPLES)]
    config = parse_config(BASE + "".join(items))
    window = (local(1996, 1, 1, 0, 0), local(2001, 12, 31, 23, 59))
    data = plan_calendar(config, *window, STAMP)
    assert client_view(data) == bot_view(config, *window)
    assert client_view(data, moves=False) == bot_view(config, *window, nominal=True)


def test_the_demo_plan_for_a_year_through_the_cli(tmp_path, capsys):
    out = tmp_path / "plan.ics"
    arguments = ["plan", "ics", "--config", str(EXAMPLE), "--from", "2027-01-01", "--days", "365", "--out", str(out)]
    assert main(arguments) == 0
    assert capsys.readouterr().out == f"wrote {out}\n"
    config = load_config(EXAMPLE)
    window = (local(2027, 1, 1, 0, 0), local(2027, 12, 31, 23, 59, 59))
    assert client_view(out.read_bytes()) == bot_view(config, *window)
    assert client_view(out.read_bytes(), moves=False) == bot_view(config, *window, nominal=True)


def test_the_file_names_the_plan_and_each_event_says_who_gets_it(capsysbinary):
    assert main(["plan", "ics", "--config", str(EXAMPLE), "--from", "2027-02-01", "--days", "21"]) == 0
    calendar = Calendar.from_ical(capsysbinary.readouterr().out)
    assert str(calendar["X-WR-CALNAME"]) == "VMKF kommunikationsplan"
    [invitation] = [e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]).startswith("Inbjudan till budgetdialog")]
    assert invitation.decoded("DTSTART") == datetime(2027, 2, 18, 9, 0, tzinfo=STOCKHOLM)
    assert (invitation.decoded("DTEND") - invitation.decoded("DTSTART")).total_seconds() == 15 * 60
    # the event, not its date: a meeting moved keeps its calendar entry, which an import moves
    assert str(invitation["UID"]) == "budgetdialog-inbjudan/event:budgetdialog-2027@vmkf.samverkan"
    description = str(invitation["DESCRIPTION"])
    assert "Mottagare: Direktionens ordförande (exempel), Direktionens vice ordförande (exempel)," in description
    assert "Kanal: DM\nAnsvarig: Förbundschefen (exempel)" in description
    masters = [str(e["UID"]) for e in calendar.walk("VEVENT") if "RECURRENCE-ID" not in e]
    assert len(set(masters)) == len(masters)


def test_an_event_description_keeps_the_purpose_as_written_and_names_a_dm_as_such():
    """The description is plain text (icalendar escapes it for the file): no mrkdwn escaping, nothing trimmed."""
    example = load_config(EXAMPLE)
    purpose = "  Tom & <b>fet</b> @channel \n"
    index, dm = next((index, item) for index, item in enumerate(example.plan) if item.delivery == "dm")
    item = dm.model_copy(update={"purpose": purpose})
    config = example.model_copy(update={"plan": [*example.plan[:index], item, *example.plan[index + 1 :]]})
    data = plan_calendar(config, local(2027, 1, 1, 0, 0), local(2027, 12, 31, 23, 59), STAMP)
    [event, *_] = [e for e in Calendar.from_ical(data).walk("VEVENT") if str(e["SUMMARY"]) == item.title]
    owner = config.person(item.owner).name
    assert str(event["DESCRIPTION"]).startswith(f"{purpose}\n\nMottagare: ")
    assert str(event["DESCRIPTION"]).endswith(f"\nKanal: DM\nAnsvarig: {owner}")
    assert [str(category) for category in event["CATEGORIES"].cats] == ["Kommunikationsplan"]


def test_times_carry_the_stockholm_zone_with_its_vtimezone(capsysbinary):
    assert main(["plan", "ics", "--config", str(EXAMPLE), "--from", "2027-03-22", "--days", "15"]) == 0
    data = capsysbinary.readouterr().out
    text = data.decode()
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Stockholm" in text
    assert "DTSTART;TZID=Europe/Stockholm:20270322T080000" in text  # the weekly Monday series, 08:00 CET
    mondays = [at for title, at in client_view(data) if title == "Veckoavstämning med avdelningscheferna"]
    assert [moment.isoformat() for moment in mondays] == [
        "2027-03-22T08:00:00+01:00",
        "2027-03-25T08:00:00+01:00",  # Annandag påsk moves back to Thursday
        "2027-04-05T08:00:00+02:00",
    ]


def test_a_series_whose_first_day_is_the_spring_change_keeps_its_wall_clock_time():
    """02:30 does not exist on 28 March 2027: that day's delivery is at 03:30, the others stay at 02:30."""
    config = parse_config(BASE + item("natt", "FREQ=DAILY", "2027-03-20", clock="02:30"))
    window = (local(2027, 3, 28, 0, 0), local(2027, 4, 1, 23, 0))
    data = plan_calendar(config, *window, STAMP)
    assert "DTSTART;TZID=Europe/Stockholm:20270328T023000" in data.decode()
    assert client_view(data) == bot_view(config, *window)
    assert [at.strftime("%d %H:%M") for _, at in client_view(data)] == [
        "28 03:30",
        "29 02:30",
        "30 02:30",
        "31 02:30",
        "01 02:30",
    ]
