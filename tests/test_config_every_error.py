"""`plan check` lists every error in one run: an error of one kind never hides an error of another kind.

A type error makes an entry fail validation; its references, its id, its impossible combinations and its
template must still be checked (bot.config.salvage keeps what validated of it).
"""

import pytest
import yaml

from bot.cli import main
from bot.config import ConfigError, parse_config
from tests.conftest import EXAMPLE
from tests.test_config import FILE, VALID, broken, line_of

# One plan item with one error of each kind, and an impossible date in the event it is scheduled from.
EVERY_KIND = broken(
    "date: 2027-02-18, forum: direktion}",
    "date: 2027-02-30, forum: direktion}",
    VALID.replace("  - id: veckobrev\n", "  - id: kallelse\n", 1)
    .replace("offset_working_days: -5}", "offset_working_days: tio}", 1)
    .replace("    owner: chef\n", "    owner: chefen\n    ownr: chef\n", 1)
    .replace('"Möte {{ event.date | datum }}"', '"Möte {{ event.date | datum }} för {{ mottagare }}"', 1),
)


def test_plan_check_reports_one_error_of_each_kind_in_one_run(tmp_path, capsys):
    path = tmp_path / "samverkan.yaml"
    path.write_text(EVERY_KIND, encoding="utf-8")
    assert main(["plan", "check", "--config", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "Traceback" not in err

    def at(needle: str, below: int = 0) -> str:
        return f"{path}:{line_of(EVERY_KIND, needle) - below}: "

    assert err.splitlines() == [
        f"{path}: 6 errors in the configuration",
        at("2027-02-30") + "events[0].date: '2027-02-30' is not a valid date (day value is outside expected range): "
        "write it as YYYY-MM-DD",
        at("days: tio") + "plan[0].schedule.offset_working_days: Input should be a valid integer, unable to parse "
        "string as an integer (given: 'tio')",
        at("owner: chefen") + "plan[0].owner: unknown person 'chefen' (did you mean 'chef'?)",
        at("ownr: chef") + "plan[0].ownr: unknown key 'ownr' (did you mean 'owner'?)",
        at("mottagare") + "plan[0].message: the template uses unknown name 'mottagare'; known: association, item, "
        "at, event, chair, recipient, owner",
        at("title: Veckobrev", below=1) + "plan[1].id: duplicate id 'kallelse' in plan",
    ]


def replaced(text: str, old: str, new: str) -> str:
    """`text` with each part of `old` replaced by the same part of `new` (parts separated by " | ")."""
    for before, after in zip(old.split(" | "), new.split(" | "), strict=True):
        text = broken(before, after, text)
    return text


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    return [problem.render(FILE) for problem in caught.value.problems]


# In each section, an entry with a type error and a second mistake of another kind: (old, new, both messages);
# several replacements are separated by " | ".
SECTIONS = [
    ("people", "  - {id: kval, name: Kvalitetschefen",
     "  - {id: chef, name: [Chefen], slack_id: U0VMKF0009}\n  - {id: kval, name: Kvalitetschefen",
     ["people[1].name: Input should be a valid string", "people[1].id: duplicate id 'chef' in people"]),
    ("roles", "  quality_manager: kval\n", "  quality_manager: kvall\n  Kommunikatör: chef\n",
     ["roles.Kommunikatör: 'Kommunikatör' is not valid here", "roles.quality_manager: unknown person 'kvall'"]),
    ("members", "chief: chef, channel: C0ARBOGA01}", "chief: chf, channel: C0ARBOGA01, invånare: många}",
     ["members[0].invånare: unknown key 'invånare'", "members[0].chief: unknown person 'chf'"]),
    ("departments", "head: chef, deputy: kval,", "head: [chef], deputy: kvl,",
     ["departments[0].head: Input should be a valid string", "departments[0].deputy: unknown person 'kvl'"]),
    ("forums", "kind: board, channel: C0DIREKTIO, members: [chef]}",
     "kind: styrelse, channel: C0DIREKTIO, members: [chef, spoke]}",
     ["forums[0].kind: Input should be 'board'", "forums[0].members[1]: unknown person 'spoke'"]),
    ("chair_rotation", "{member: arboga, start: 2027-01-01, end: 2028-12-31}",
     "{member: arbga, start: 2027-01-01, end: 2028-02-30}",
     ["chair_rotation[0].end: '2028-02-30' is not a valid date", "chair_rotation[0].member: unknown member 'arbga'"]),
    ("services", "{id: gis, name: GIS, kind: optional, department: it, members: [arboga]}",
     "{id: gis, name: GIS, kind: optional, department: itt, members: [arboga, Köping]}",
     ["services[1].members[1]: 'Köping' is not valid here", "services[1].department: unknown department 'itt'"]),
    ("events", "date: 2027-02-18, forum: direktion}", "date: 2027-02-18, time: lunch, forum: direktionen}",
     ["events[0].time: 'lunch' is not a valid time", "events[0].forum: unknown forum 'direktionen'"]),
    ("plan audience", "audience: {people: [kval]}", "audience: {people: [kvall], roles: director}",
     ["plan[1].audience.roles: Input should be a valid list", "plan[1].audience.people[0]: unknown person 'kvall'"]),
    ("plan audience not a mapping", "audience: {people: [kval]} |     owner: kval\n",
     "audience: kval |     owner: kvall\n",
     ["plan[1].audience: Input should be a mapping (key: value pairs) (given: 'kval')",
      "plan[1].owner: unknown person 'kvall'"]),
    ("plan schedule", "offset_working_days: -5}", "offset_working_days: tio, rrule: FREQ=DAILY}",
     ["plan[0].schedule.offset_working_days: Input should be a valid integer",
      "plan[0].schedule: give either rrule (with start) or relative_to, not both or neither"]),
    ("plan template", "    delivery: dm\n | message: Hej\n",
     "    delivery: e-post\n | message: 'Hej {{ ownr.name }}'\n",
     ["plan[1].delivery: Input should be 'channel' or 'dm'",
      "plan[1].message: the template uses unknown name 'ownr' (did you mean 'owner'?)"]),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), [case[1:] for case in SECTIONS], ids=[c[0] for c in SECTIONS])
def test_a_type_error_in_an_entry_hides_nothing_else(old, new, expected):
    found = problems(replaced(VALID, old, new))
    for message in expected:
        assert [problem for problem in found if f": {message}" in problem], (message, found)
    assert len(found) == len(expected), found


EXAMPLE_TEXT = EXAMPLE.read_text(encoding="utf-8")

FOLLOWUP_AND_CASES = [
    ("indicator", 'target: "<= 2", | departments: [loner]}', "target: many, | departments: [lonor]}",
     ["goals[0].indicators[3].target: 'many' is not a target",
      "goals[0].indicators[3].departments[0]: unknown department 'lonor'"]),
    ("followup round", "    period_end: 2027-04-30\n | closes_working_days_after: 5\n",
     "    period_end: 2026-04-30\n | closes_working_days_after: aldrig\n",
     ["followup_rounds[0].closes_working_days_after: Input should be a valid integer",
      "followup_rounds[0]: period_end is before period_start"]),
    ("deadline", "deadline: {relative_to: direktion-2027-06, offset_working_days: -15}",
     "deadline: {relative_to: direktion-2027-07, offset_working_days: -15.5}",
     ["followup_rounds[0].deadline.offset_working_days: Input should be a valid integer",
      "followup_rounds[0].deadline.relative_to: unknown event 'direktion-2027-07'"]),
    ("case routing", "{department: it, triage_channel: C0VMKFITTR, handlers: [it-stf]}",
     "{department: it, triage_channel: it-triage, handlers: [it-stff]}",
     ["cases.routing[0].triage_channel: 'it-triage' is not valid here",
      "cases.routing[0].handlers[0]: unknown person 'it-stff'"]),
    ("case routing department", "{department: it, triage_channel: C0VMKFITTR, handlers: [it-stf]}",
     "{department: [it], triage_channel: C0VMKFITTR, handlers: [it-stff]}",
     ["cases.routing[0].department: Input should be a valid string",
      "cases.routing[0].handlers[0]: unknown person 'it-stff'"]),
    ("case digest", "    forum: direktion\n    months: [1, 7]\n", "    forum: direktionen\n    months: [januari]\n",
     ["cases.digest.months[0]: Input should be a valid integer", "cases.digest.forum: unknown forum 'direktionen'"]),
    ("case deadlines", "    take_working_days: 2 ", "    take_working_days: 20\n    svar: 1 ",
     ["cases.deadlines.svar: unknown key 'svar'",
      "cases.deadlines: answer_working_days must not be shorter than take_working_days"]),
]  # fmt: skip


@pytest.mark.parametrize(
    ("old", "new", "expected"), [case[1:] for case in FOLLOWUP_AND_CASES], ids=[c[0] for c in FOLLOWUP_AND_CASES]
)
def test_a_type_error_in_followup_or_cases_hides_nothing_else(old, new, expected):
    found = problems(replaced(EXAMPLE_TEXT, old, new))
    for message in expected:
        assert [problem for problem in found if f": {message}" in problem], (message, found)
    assert len(found) == len(expected), found


def _paths(data: object, loc: tuple = ()) -> list[tuple]:
    """Every path in the document, taking the first and the last entry of each list (the kinds of schedule and
    deadline the example has are among them)."""
    found = [loc] if loc else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*loc, key))
    elif isinstance(data, list):
        for index in sorted({0, len(data) - 1} if data else set()):
            found += _paths(data[index], (*loc, index))
    return found


def _replaced(data: object, loc: tuple, value: object) -> object:
    if not loc:
        return value
    head, *rest = loc
    copy = dict(data) if isinstance(data, dict) else list(data)  # type: ignore[call-overload]
    copy[head] = _replaced(copy[head], tuple(rest), value)
    return copy


def _path_text(loc: tuple) -> str:
    return "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc).lstrip(".")


EXAMPLE_DATA = yaml.load(EXAMPLE_TEXT, Loader=yaml.BaseLoader)  # every scalar a string, as the file has it
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@pytest.mark.parametrize("loc", _paths(EXAMPLE_DATA), ids=_path_text)
def test_a_value_of_the_wrong_shape_anywhere_is_reported_not_a_crash(loc):
    """A mapping where a value or list belongs, or a word where a mapping or list belongs, is an error that
    names its path; the checks across sections neither trip over what is left of the entry nor find a made-up
    combination in it (nothing at the entries around it; a word for a mapping or list is one error)."""
    current = EXAMPLE_DATA
    for part in loc:
        current = current[part]
    wrong = "fel" if isinstance(current, dict | list) else {"fel": [1]}
    text = yaml.dump(_replaced(EXAMPLE_DATA, loc, wrong), Dumper=DUMPER, allow_unicode=True, sort_keys=False)
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    path = _path_text(loc)
    inside = [problem for problem in caught.value.problems if problem.path.startswith(path)]
    around = [problem for problem in caught.value.problems if problem.path in map(_path_text, _parents(loc))]
    assert inside and not around, caught.value.render()
    if wrong == "fel":
        assert len(inside) == 1, caught.value.render()


def _parents(loc: tuple) -> list[tuple]:
    return [loc[:end] for end in range(1, len(loc))]
