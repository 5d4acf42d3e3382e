"""RFC 5545 recurrence rules: a strict reading of an RRULE value and its expansion in wall-clock time.

dateutil's parser is lenient where the RFC is strict (it accepts COUNT with UNTIL, BYMONTHDAY=0, INTERVAL=0,
UNTIL in any format its date parser reads, DTSTART and RDATE lines, its own BYEASTER), and with `ignoretz` it
reads `UNTIL=...Z` as a wall-clock time. So the value is checked here part by part against RFC 5545 3.3.10,
and UNTIL is applied here, to each occurrence's instant; dateutil only generates the candidate dates.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from difflib import get_close_matches
from functools import lru_cache

from dateutil.rrule import rrule, rrulestr

# The frequencies a plan item can have: it goes out at most once a day, at its schedule's `time`.
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")
SUB_DAILY = ("SECONDLY", "MINUTELY", "HOURLY")
PART_NAMES = (
    "FREQ",
    "UNTIL",
    "COUNT",
    "INTERVAL",
    "BYSECOND",
    "BYMINUTE",
    "BYHOUR",
    "BYDAY",
    "BYMONTHDAY",
    "BYYEARDAY",
    "BYWEEKNO",
    "BYMONTH",
    "BYSETPOS",
    "WKST",
)
WEEKDAYS = ("SU", "MO", "TU", "WE", "TH", "FR", "SA")
_WEEKDAYNUM = re.compile(r"^(?:([+-]?)(\d{1,2}))?(SU|MO|TU|WE|TH|FR|SA)$")
_NUMBER = re.compile(r"^[+-]?\d{1,3}$")
_UNTIL = re.compile(r"^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$")
# The Gregorian calendar repeats every 400 years, weekdays included; MAXYEAR bounds dateutil's search.
CYCLE_YEARS = 400
LAST_YEAR = 9999


class RuleError(ValueError):
    """An RRULE value that RFC 5545 (or a once-a-day plan item) does not allow."""


@dataclass(frozen=True)
class Rule:
    """A checked RRULE value. `until` is a date (DATE), a naive datetime (floating) or an aware one (UTC)."""

    parts: tuple[tuple[str, str], ...]
    until: date | datetime | None

    def text_with(self, **replacements: str | None) -> str:
        """The rule's parts (UNTIL is not among them: `expand` applies it to instants) with some replaced,
        added, or dropped when given None."""
        parts = dict(self.parts)
        for name, value in replacements.items():
            parts.pop(name.upper(), None)
            if value is not None:
                parts[name.upper()] = value
        return ";".join(f"{name}={value}" for name, value in parts.items())

    @property
    def interval(self) -> int:
        return int(dict(self.parts).get("INTERVAL", "1"))

    def generator(self, dtstart: datetime, bound: datetime | None = None, *, counted: bool = True) -> rrule:
        """dateutil's rule from a naive wall-clock `dtstart`, without COUNT unless `counted`, stopping after the
        naive `bound` when given (it stands in for UNTIL, which `expand` applies to instants)."""
        text = self.text_with() if counted else self.text_with(COUNT=None)
        if bound is not None:
            text += f";UNTIL={bound:%Y%m%dT%H%M%S}"
        return _generator(text, dtstart)


@lru_cache(maxsize=4096)
def _generator(text: str, dtstart: datetime) -> rrule:
    """One dateutil rule per rule text and start, shared by every tick: with cache=True it remembers the dates it
    has computed, so asking for the next fortnight walks a list instead of recomputing every date since `start`
    (dateutil locks its cache, so threads may share it)."""
    return rrulestr(text, dtstart=dtstart, cache=True)


def parse_rule(text: str) -> Rule:
    """Check an RRULE value (an optional "RRULE:" before it is allowed) against RFC 5545 3.3.10."""
    value = text.strip()
    if value.upper().startswith("RRULE:"):
        value = value[len("RRULE:") :]
    if not value:
        raise RuleError("the rule is empty")
    if any(char.isspace() for char in value):
        raise RuleError("give one RRULE value on one line, without spaces (the first date is `start`)")
    parts: dict[str, str] = {}
    for part in value.upper().split(";"):
        name, equals, part_value = part.partition("=")
        if not equals or not name or not part_value:
            raise RuleError(f"'{part}' is not NAME=VALUE" if part else "an empty part (two ';' or one at the end)")
        if name not in PART_NAMES:
            close = get_close_matches(name, PART_NAMES, n=1)
            raise RuleError(f"unknown rule part '{name}'" + (f" (did you mean '{close[0]}'?)" if close else ""))
        if name in parts:
            raise RuleError(f"{name} is given twice")
        parts[name] = part_value
    until = _check(parts)
    return Rule(parts=tuple((name, part) for name, part in parts.items() if name != "UNTIL"), until=until)


def _check(parts: dict[str, str]) -> date | datetime | None:
    """Raise RuleError for the first rule the parts break; return UNTIL's value."""
    freq = parts.get("FREQ")
    if freq is None:
        raise RuleError("FREQ is missing")
    if freq in SUB_DAILY:
        raise RuleError(f"FREQ={freq} is not for a plan item: it goes out at most once a day, at its `time`")
    if freq not in FREQUENCIES:
        raise RuleError(f"invalid 'FREQ': {freq}")
    for name in ("BYSECOND", "BYMINUTE", "BYHOUR"):
        if name in parts:
            raise RuleError(f"{name} is not for a plan item: the time of day is the schedule's `time`")
    if "COUNT" in parts and "UNTIL" in parts:
        raise RuleError("COUNT and UNTIL cannot both be given (RFC 5545 3.3.10)")
    for name in ("COUNT", "INTERVAL"):
        if name in parts and (not parts[name].isdigit() or int(parts[name]) < 1):
            raise RuleError(f"{name} must be a whole number of at least 1, not '{parts[name]}'")
    _numbers(parts, "BYMONTHDAY", 31)
    _numbers(parts, "BYYEARDAY", 366)
    _numbers(parts, "BYWEEKNO", 53)
    _numbers(parts, "BYSETPOS", 366)
    _numbers(parts, "BYMONTH", 12, signed=False)
    if "WKST" in parts and parts["WKST"] not in WEEKDAYS:
        raise RuleError(f"invalid 'WKST': {parts['WKST']} (one of {', '.join(WEEKDAYS)})")
    if "BYDAY" in parts:
        _weekdays(parts["BYDAY"], freq, "BYWEEKNO" in parts)
    allowed_with = {
        "BYMONTHDAY": ("DAILY", "MONTHLY", "YEARLY"),
        "BYYEARDAY": ("YEARLY",),
        "BYWEEKNO": ("YEARLY",),
    }
    for name, frequencies in allowed_with.items():
        if name in parts and freq not in frequencies:
            raise RuleError(f"{name} cannot be used with FREQ={freq} (RFC 5545 3.3.10)")
    if "BYSETPOS" in parts and not any(name.startswith("BY") and name != "BYSETPOS" for name in parts):
        raise RuleError("BYSETPOS needs another BYxxx rule part to pick from")
    return _until(parts["UNTIL"]) if "UNTIL" in parts else None


def _numbers(parts: dict[str, str], name: str, largest: int, signed: bool = True) -> None:
    """A comma-separated list of non-zero numbers within ±largest (1..largest when not signed)."""
    if name not in parts:
        return
    for entry in parts[name].split(","):
        number = int(entry) if _NUMBER.match(entry) else None
        if number is None or number == 0 or abs(number) > largest or (not signed and not entry.isdigit()):
            span = f"1 to {largest} or -{largest} to -1" if signed else f"1 to {largest}"
            raise RuleError(f"invalid '{name}': {entry or parts[name]} (each value {span})")


def _weekdays(value: str, freq: str, with_weekno: bool) -> None:
    """BYDAY: weekdays, with an ordinal (-53..53, not 0) only in MONTHLY or YEARLY without BYWEEKNO."""
    for entry in value.split(","):
        match = _WEEKDAYNUM.match(entry)
        if match is None or (match[2] is not None and not 1 <= int(match[2]) <= 53):
            raise RuleError(f"invalid 'BYDAY': {entry or value} (like MO, 1MO or -1FR)")
        if match[2] is not None and (freq not in ("MONTHLY", "YEARLY") or with_weekno):
            raise RuleError(
                f"BYDAY={entry}: a numbered weekday needs FREQ=MONTHLY or FREQ=YEARLY without BYWEEKNO"
                " (RFC 5545 3.3.10)"
            )


def _until(value: str) -> date | datetime:
    """UNTIL as a DATE, a floating DATE-TIME or a UTC DATE-TIME (RFC 5545 3.3.4, 3.3.5)."""
    match = _UNTIL.match(value)
    if match is None:
        raise RuleError(f"invalid 'UNTIL': {value} (like 20270601, 20270601T090000 or 20270601T070000Z)")
    try:
        day = date(int(match[1]), int(match[2]), int(match[3]))
        if match[4] is None:
            return day
        moment = datetime.combine(day, time(int(match[4]), int(match[5]), int(match[6])))
    except ValueError as exc:
        raise RuleError(f"invalid 'UNTIL': {value} ({exc})") from exc
    return moment.replace(tzinfo=UTC) if match[7] else moment


def local(moment: datetime, zone: tzinfo) -> datetime:
    """A naive wall-clock time as an aware one that exists: a time in the spring gap is read with the offset
    before the gap (02:30 becomes 03:30 summer time), and a repeated autumn time is the first (RFC 5545 3.3.5)."""
    return moment.replace(tzinfo=zone).astimezone(UTC).astimezone(zone)


def _within_until(rule: Rule, moment: datetime, zone: tzinfo) -> bool:
    """Whether the naive wall-clock `moment` is on or before the rule's UNTIL."""
    until = rule.until
    if until is None:
        return True
    if isinstance(until, datetime) and until.tzinfo is not None:
        return local(moment, zone) <= until
    if isinstance(until, datetime):
        return moment <= until
    return moment.date() <= until


def _naive_bound(rule: Rule, zone: tzinfo) -> datetime | None:
    """A wall-clock time no earlier than the rule's last occurrence, for dateutil to stop at."""
    until = rule.until
    if until is None:
        return None
    if isinstance(until, datetime) and until.tzinfo is not None:
        return until.astimezone(zone).replace(tzinfo=None) + timedelta(hours=3)  # room for a clock change
    if isinstance(until, datetime):
        return until
    return datetime.combine(until, time.max)


def expand(rule: Rule, start: date, at: time, zone: tzinfo, first: datetime, last: datetime) -> Iterator[datetime]:
    """The rule's occurrences at wall-clock `at` in `zone` from `start` with first <= occurrence <= last
    (instants), as aware times in `zone`, in order.

    `start` is the DTSTART: the first occurrence when it matches the rule, otherwise only the point the rule
    counts from (dateutil's reading; `bot.plan.ics` writes the first real occurrence as DTSTART, so calendar
    clients, for which DTSTART is always an instance, see the same). COUNT counts from `start`.
    """
    dtstart = datetime.combine(start, at)
    generator = rule.generator(dtstart, _naive_bound(rule, zone))
    day = timedelta(days=1)
    after = max(dtstart, _wall(first, zone) - day)
    for moment in generator.between(after, _wall(last, zone) + day, inc=True):
        if not _within_until(rule, moment, zone):
            return
        occurrence = local(moment, zone)
        if first.astimezone(UTC) <= occurrence.astimezone(UTC) <= last.astimezone(UTC):
            yield occurrence


def _wall(moment: datetime, zone: tzinfo) -> datetime:
    return moment.astimezone(zone).replace(tzinfo=None)


def first_occurrence(rule: Rule, start: date) -> date | None:
    """The rule's first date from `start` (UNTIL and COUNT aside), or None if it never occurs.

    A rule that never occurs (BYMONTH=2;BYMONTHDAY=30, BYDAY=6MO) would have dateutil search up to year 9999,
    seconds on every tick. Its pattern repeats every 400 × INTERVAL years, so the search starts that many years
    before 9999 in the same phase: it then sees a whole cycle and costs at most about a second.
    """
    dtstart = datetime.combine(start, time())
    cycle = CYCLE_YEARS * rule.interval
    later_cycles = (LAST_YEAR - 1 - start.year) // cycle - 1
    if later_cycles > 0:
        probe = rule.generator(dtstart.replace(year=start.year + later_cycles * cycle), counted=False)
        if next(iter(probe), None) is None:
            return None
    found = next(iter(rule.generator(dtstart, counted=False)), None)
    return None if found is None else found.date()
