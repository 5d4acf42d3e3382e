"""Configuration errors: every problem reported at once, each with file, line, path and a 'did you mean'."""

import pytest

from bot.cli import main
from bot.config import ConfigError, load_config, parse_config, yaml_reader
from tests.conftest import EXAMPLE
from tests.text_tables import table_lines

FILE = "samverkan.yaml"

VALID = """\
association:
  id: test
  name: Testförbundet
  short_name: TF
people:
  - {id: chef, name: Chefen, slack_id: U0VMKF0001}
  - {id: kval, name: Kvalitetschefen, email: kval@test.example}
roles:
  director: chef
  quality_manager: kval
members:
  - {id: arboga, name: Arboga kommun, chief: chef, channel: C0ARBOGA01}
  - {id: koping, name: Köpings kommun, chief: kval}
departments:
  - {id: it, name: IT-avdelningen, head: chef, deputy: kval, channel: C0VMKFIT01}
forums:
  - {id: direktion, name: Direktionen, kind: board, channel: C0DIREKTIO, members: [chef]}
  - {id: presidium, name: Presidiet, kind: presidium, members: [chef, kval]}
chair_rotation:
  - {member: arboga, start: 2027-01-01, end: 2028-12-31}
services:
  - {id: it-drift, name: IT-drift, kind: base, department: it}
  - {id: gis, name: GIS, kind: optional, department: it, members: [arboga]}
events:
  - {id: direktion-feb, kind: board_meeting, title: Direktionsmöte, date: 2027-02-18, forum: direktion}
plan:
  - id: kallelse
    title: Kallelse
    purpose: Kallelse till direktionen.
    audience: {forums: [direktion]}
    delivery: channel
    schedule: {relative_to: board_meeting, offset_working_days: -5}
    owner: chef
    message: "Möte {{ event.date | datum }}"
  - id: veckobrev
    title: Veckobrev
    purpose: Nyheter.
    audience: {people: [kval]}
    delivery: dm
    schedule: {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04}
    owner: kval
    message: Hej
"""


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    count = len(caught.value.problems)
    head = f"{FILE}: {count} error{'s' if count != 1 else ''} in the configuration"
    assert caught.value.render().startswith(head + "\n")
    return [problem.render(FILE) for problem in caught.value.problems]


def line_of(text: str, needle: str) -> int:
    return next(number for number, line in enumerate(text.splitlines(), 1) if needle in line)


def broken(old: str, new: str, base: str = VALID) -> str:
    assert old in base, old
    return base.replace(old, new, 1)


def test_the_valid_file_loads():
    config = parse_config(VALID, FILE)
    assert [item.id for item in config.plan] == ["kallelse", "veckobrev"]
    assert config.role_holder("quality_manager").name == "Kvalitetschefen"
    assert config.chair_on(config.events[0].date).name == "Arboga kommun"


def file_error(text: str) -> str:
    """The one line that a file that cannot be read as an association file at all gets."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    rendered = caught.value.render()
    assert "\n" not in rendered, rendered
    return rendered


def test_invalid_yaml_names_the_line_in_one_line():
    text = broken("  short_name: TF\n", "  short_name: [TF\n")
    assert file_error(text).startswith(f"{FILE}:5: not valid YAML: while parsing a flow sequence (line 4, column 15): ")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", f"{FILE}: the file is empty: it must be a YAML mapping of sections"),
        ("# bara en kommentar\n", f"{FILE}: the file is empty: it must be a YAML mapping of sections"),
        ("- a\n- b\n", f"{FILE}:1: the top level is a list: it must be a YAML mapping of sections"),
        ("\njust text\n", f"{FILE}:2: the top level is a single value: it must be a YAML mapping of sections"),
    ],
    ids=["empty", "comments only", "list", "scalar"],
)
def test_the_file_must_be_a_mapping(text, message):
    assert file_error(text).startswith(message)


def test_a_missing_file_says_how_to_name_one(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "saknas.yaml")
    assert "file not found: set SAMVERKAN_CONFIG or pass --config PATH" in caught.value.render()


def test_a_missing_required_section():
    text = broken(
        "departments:\n  - {id: it, name: IT-avdelningen, head: chef, deputy: kval, channel: C0VMKFIT01}\n", ""
    )
    assert problems(text) == [f"{FILE}:1: departments: required section is missing"]


# One mistake each, two lines a case: "name | old text -> new text", then indented "text on the reported line ->
# path: message". A text is exact, leading spaces included; "\n" in it is a line break. A line indented by eight
# spaces goes on the line before it (table_lines).
MISTAKES = r"""
unknown section | events:\n -> setings: {}\nevents:\n
    setings: -> setings: unknown section (did you mean 'settings'?)
unknown key | slack_id: U0VMKF0001} -> slack_id: U0VMKF0001, emial: c@test.example}
    emial -> people[0].emial: unknown key 'emial' (did you mean 'email'?)
unknown key in a plan item |     owner: kval\n ->     owner: kval\n    ownr: kval\n
    ownr -> plan[1].ownr: unknown key 'ownr' (did you mean 'owner'?)
bad id |   id: test\n ->   id: Test Förbund\n
    Test Förbund -> association.id: 'Test Förbund' is not valid here (ids use lower-case letters, digits, '-' and '_')
bad channel | channel: C0ARBOGA01 -> channel: arboga kanal
    arboga kanal -> members[0].channel: 'arboga kanal' is not valid here (a Slack channel id like
        C0123ABCD, shown in the channel's details; or a Teams channel as 'teams:19:...@thread.tacv2', with the id
        from the link Teams gives with "Get link to channel" (URL-decoded))
bad slack id | slack_id: U0VMKF0001 -> slack_id: chef123
    chef123 -> people[0].slack_id: 'chef123' is not valid here (a Slack user id like U0123ABCD)
bad email | email: kval@test.example -> email: kval.test.example
    kval.test.example -> people[1].email: 'kval.test.example' is not valid here (an e-mail address)
person without email or slack_id | , email: kval@test.example} -> }
    {id: kval, -> people[1]: a person needs an email, a slack_id or a teams_id
unknown time zone |   short_name: TF\n ->   short_name: TF\n  timezone: Europe/Stockhol\n
    timezone -> association.timezone: unknown time zone 'Europe/Stockhol'
role held by nobody | quality_manager: kval -> quality_manager: kvall
    quality_manager -> roles.quality_manager: unknown person 'kvall' (did you mean 'kval'?)
missing required role |   director: chef\n ->   communicator: chef\n
    communicator -> roles: role 'director' is required
member chief | chief: chef, channel -> chief: chf, channel
    chief: chf -> members[0].chief: unknown person 'chf' (did you mean 'chef'?)
department head | head: chef, -> head: boss,
    head: boss -> departments[0].head: unknown person 'boss'
department deputy | deputy: kval, -> deputy: kvl,
    deputy: kvl -> departments[0].deputy: unknown person 'kvl' (did you mean 'kval'?)
forum member | members: [chef]} -> members: [chef, spoke]}
    spoke -> forums[0].members[1]: unknown person 'spoke'
chair rotation member | {member: arboga, start -> {member: arbga, start
    arbga -> chair_rotation[0].member: unknown member 'arbga' (did you mean 'arboga'?)
overlapping chair terms | end: 2028-12-31}\n -> end: 2028-12-31}\n  - {member: koping, start: 2028-06-01, end:
        2030-12-31}\n
    start: 2028-06-01 -> chair_rotation[1]: term starting 2028-06-01 overlaps the term ending 2028-12-31
chair term ending before it starts | start: 2027-01-01, end: 2028-12-31 -> start: 2027-01-01, end: 2026-12-31
    end: 2026-12-31 -> chair_rotation[0]: end is before start
service department | kind: base, department: it} -> kind: base, department: itt}
    department: itt -> services[0].department: unknown department 'itt' (did you mean 'it'?)
service member | members: [arboga]} -> members: [arbog]}
    arbog] -> services[1].members[0]: unknown member 'arbog' (did you mean 'arboga'?)
base service with members | kind: base, department: it} -> kind: base, department: it, members: [koping]}
    kind: base -> services[0]: a base service goes to every member; remove its members list
optional service without members | department: it, members: [arboga]} -> department: it}
    id: gis -> services[1]: an optional service must list the members that take it
event forum | forum: direktion} -> forum: direktionen}
    forum: direktionen -> events[0].forum: unknown forum 'direktionen' (did you mean 'direktion'?)
plan owner |     owner: chef\n ->     owner: cheff\n
    owner: cheff -> plan[0].owner: unknown person 'cheff' (did you mean 'chef'?)
audience person | audience: {people: [kval]} -> audience: {people: [kvall]}
    kvall -> plan[1].audience.people[0]: unknown person 'kvall' (did you mean 'kval'?)
audience role | audience: {people: [kval]} -> audience: {roles: [directr]}
    directr -> plan[1].audience.roles[0]: unknown role 'directr' (did you mean 'director'?)
audience forum | audience: {people: [kval]} -> audience: {forums: [presidum]}
    presidum -> plan[1].audience.forums[0]: unknown forum 'presidum' (did you mean 'presidium'?)
audience department | audience: {people: [kval]} -> audience: {departments: [itt]}
    itt -> plan[1].audience.departments[0]: unknown department 'itt' (did you mean 'it'?)
audience member | audience: {people: [kval]} -> audience: {members: [kping]}
    kping -> plan[1].audience.members[0]: unknown member 'kping' (did you mean 'koping'?)
audience channel | audience: {forums: [direktion]} -> audience: {channels: [vmkf-alla]}
    vmkf-alla -> plan[0].audience.channels[0]: 'vmkf-alla' is not valid here (a Slack channel id like
        C0123ABCD, shown in the channel's details; or a Teams channel as 'teams:19:...@thread.tacv2', with the id
        from the link Teams gives with "Get link to channel" (URL-decoded))
audience not a list | audience: {people: [kval]} -> audience: {departments: itt}
    departments: itt -> plan[1].audience.departments: Input should be a valid list or 'all' (given: 'itt')
empty audience | audience: {people: [kval]} -> audience: {}
    audience: {} -> plan[1].audience: the audience is empty
relative_to | relative_to: board_meeting -> relative_to: board_meting
    board_meting -> plan[0].schedule.relative_to: no event or event kind 'board_meting' (did you mean
        'board_meeting'?)
channel delivery to people | audience: {forums: [direktion]} -> audience: {forums: [direktion], people: [chef]}
    people: [chef] -> plan[0].audience: roles and people have no channel; use delivery: dm or name a forum
channel delivery to roles | audience: {forums: [direktion]} -> audience: {roles: [director]}
    roles: [director] -> plan[0].audience: roles and people have no channel; use delivery: dm or name a forum
channel delivery to a forum without a channel | audience: {forums: [direktion]} -> audience: {forums: [presidium]}
    forums: [presidium] -> plan[0].audience.forums[0]: forum 'presidium' has no channel to post in
channel delivery to all members, one without a channel | audience: {forums: [direktion]} -> audience: {members: all}
    members: all -> plan[0].audience.members: member 'koping' has no channel to post in
dm delivery to channels | audience: {people: [kval]} -> audience: {people: [kval], channels: [C0VMKFALLA]}
    C0VMKFALLA -> plan[1].audience.channels: channels cannot get a DM; use delivery: channel
invalid rrule | FREQ=WEEKLY;BYDAY=MO -> FREQ=WEEKLY;BYDAY=XX
    BYDAY=XX -> plan[1].schedule: rrule is not a valid RFC 5545 RRULE
rrule without start | , start: 2027-01-04} -> }
    FREQ=WEEKLY -> plan[1].schedule: an rrule schedule needs a start date
both rrule and relative_to | start: 2027-01-04} -> start: 2027-01-04, relative_to: board_meeting}
    FREQ=WEEKLY -> plan[1].schedule: give either rrule (with start) or relative_to, not both or neither
neither rrule nor relative_to | {rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04} -> {time: "08:00"}
    time: "08:00" -> plan[1].schedule: give either rrule (with start) or relative_to, not both or neither
offsets on an rrule | start: 2027-01-04} -> start: 2027-01-04, offset_days: 1}
    FREQ=WEEKLY -> plan[1].schedule: offsets belong to relative_to schedules
both offsets | offset_working_days: -5} -> offset_working_days: -5, offset_days: 1}
    offset_days: 1 -> plan[0].schedule: give offset_days or offset_working_days, not both
non-working-day rule |     owner: kval\n ->     owner: kval\n    non_working_day: sometimes\n
    sometimes -> plan[1].non_working_day: Input should be 'previous', 'next' or 'keep'
delivery kind | delivery: dm -> delivery: email
    delivery: email -> plan[1].delivery: Input should be 'channel' or 'dm'
template syntax error | "Möte {{ event.date | datum }}" -> "Möte {{ event.date | datum }"
    Möte {{ -> plan[0].message: template error on its line 1: unexpected '}'
unknown filter | "Möte {{ event.date | datum }}" -> "Möte {{ event.date | datun }}"
    datun -> plan[0].message: template error on its line 1: No filter named 'datun'.
duplicate person id |   - {id: kval, name: Kvalitetschefen ->   - {id: chef, name: Chefen igen, slack_id:
        U0VMKF0009}\n  - {id: kval, name: Kvalitetschefen
    Chefen igen -> people[1].id: duplicate id 'chef' in people
duplicate plan id |   - id: veckobrev\n ->   - id: kallelse # igen\n
    # igen -> plan[1].id: duplicate id 'kallelse' in plan
impossible date | start: 2027-01-04} -> start: 2027-13-04}
    2027-13-04 -> plan[1].schedule.start: '2027-13-04' is not a valid date (month value is outside expected range of
        1-12): write it as YYYY-MM-DD
impossible day | date: 2027-02-18, -> date: 2027-02-30,
    2027-02-30 -> events[0].date: '2027-02-30' is not a valid date (day value is outside expected range): write it as
        YYYY-MM-DD
a date with a time | date: 2027-02-18, -> date: 2027-02-18T13:00,
    2027-02-18T13 -> events[0].date: '2027-02-18T13:00' is not a valid date (it has a time of day): write it as
        YYYY-MM-DD
impossible time | offset_working_days: -5} -> offset_working_days: -5, time: '25:00'}
    25:00 -> plan[0].schedule.time: '25:00' is not a valid time (hour value is outside expected range of 0-23): write
        it as HH:MM
a word for a number | offset_working_days: -5} -> offset_working_days: tio}
    days: tio -> plan[0].schedule.offset_working_days: Input should be a valid integer, unable to parse string as an
        integer (given: 'tio')
grace period of zero | plan:\n -> settings: {grace_period_hours: 0}\nplan:\n
    grace_period_hours -> settings.grace_period_hours: Input should be greater than or equal to 1
"""


def mistakes(table: str) -> dict[str, tuple[str, str, str, str]]:
    """The cases of a table in the form above: name -> (old text, new text, needle, path and message)."""
    lines = table_lines(table)
    cases = {}
    for edit, report in zip(lines[::2], lines[1::2], strict=True):
        name, change = edit.split(" | ", 1)
        old, new = change.replace("\\n", "\n").split(" -> ")
        needle, said = report.strip().split(" -> ")
        cases[name] = (old, new, needle, said)
    return cases


CASES = mistakes(MISTAKES)


@pytest.mark.parametrize(("old", "new", "needle", "said"), CASES.values(), ids=CASES.keys())
def test_each_mistake_is_reported_with_file_line_and_path(old, new, needle, said):
    text = broken(old, new)
    found = problems(text)
    expected = f"{FILE}:{line_of(text, needle)}: {said}"
    assert [problem for problem in found if problem.startswith(expected)] != [], found
    assert len(found) == 1, found


BROKEN = """\
association: {id: Test, name: T, short_name: T, timezon: Europe/Stockholm}
setings: {}
people:
  - {id: chef, name: Chefen, slack_id: U0VMKF0001}
  - {id: utan, name: Utan adress}
  - {id: fel, name: Fel, email: inte-en-adress, slack_id: x123}
  - {id: chef, name: Chefen igen, slack_id: U0VMKF0002}
roles: {director: chef, communicator: nobody}
members:
  - {id: arboga, name: Arboga, chief: nobdy, channel: bad channel}
  - {id: koping, name: Köping, chief: cheff}
departments:
  - {id: it, name: IT, head: zz, deputy: utan}
forums:
  - {id: direktion, name: D, kind: board, members: [chef, ghost, fel]}
chair_rotation:
  - {member: arboga, start: 2027-01-01, end: 2028-12-31}
  - {member: kopng, start: 2028-01-01, end: 2029-12-31}
services:
  - {id: s1, name: S, kind: base, department: itt, members: [arboga]}
  - {id: s2, name: S, kind: optional, department: it}
  - {id: s3, name: S, kind: optional, department: it, members: [kopin]}
events:
  - {id: e1, kind: board_meeting, title: E, date: 2027-02-18, forum: direktionn}
plan:
  - id: p1
    title: T
    purpose: P
    audience: {roles: [directr], people: [chef], forums: [direktion], departments: [itx], members: [arbogaa]}
    delivery: channel
    schedule: {relative_to: board_meting, offset_working_days: -5}
    owner: ownr
    message: "{{ broken"
  - id: p2
    title: T
    purpose: P
    audience: {channels: [C0AAAAAA]}
    delivery: dm
    schedule: {rrule: "FREQ=SOMETIMES", start: 2027-01-01}
    owner: chef
    message: hi
  - id: p3
    title: T
    purpose: P
    audience: {people: [utan]}
    delivery: dm
    schedule: {rrule: "FREQ=DAILY", relative_to: board_meeting, start: 2027-01-01}
    owner: fel
    message: hi
  - id: p4
    title: T
    purpose: P
    audience: {channels: [C0AAAAAA]}
    delivery: dm
    schedule: {relative_to: e1}
    owner: chef
    message: hi
    extra: 1
  - id: p5
    title: T
    purpose: P
    audience: {channels: [C0AAAAAA]}
    delivery: dm
    schedule: {relative_to: board_meeting}
    owner: chef
    message: hi
"""


def test_one_broken_file_reports_every_error_at_once():
    """Every entry's own errors, and the reference errors and impossible combinations of every entry, including
    those that did not validate (the chief of members[0], the department of services[0], the channels of p2)."""
    assert problems(BROKEN) == [
        f"{FILE}:1: association.id: 'Test' is not valid here (ids use lower-case letters, digits, '-' and '_')",
        f"{FILE}:1: association.timezon: unknown key 'timezon' (did you mean 'timezone'?)",
        f"{FILE}:2: setings: unknown section (did you mean 'settings'?)",
        f"{FILE}:5: people[1]: a person needs an email, a slack_id or a teams_id",
        f"{FILE}:6: people[2].email: 'inte-en-adress' is not valid here (an e-mail address)",
        f"{FILE}:6: people[2].slack_id: 'x123' is not valid here (a Slack user id like U0123ABCD)",
        f"{FILE}:7: people[3].id: duplicate id 'chef' in people",
        f"{FILE}:8: roles: role 'quality_manager' is required",
        f"{FILE}:8: roles.communicator: unknown person 'nobody'",
        f"{FILE}:10: members[0].channel: 'bad channel' is not valid here "
        "(a Slack channel id like C0123ABCD, shown in the channel's details; or a Teams channel as "
        "'teams:19:...@thread.tacv2', with the id from the link Teams gives with "
        '"Get link to channel" (URL-decoded))',
        f"{FILE}:10: members[0].chief: unknown person 'nobdy'",
        f"{FILE}:11: members[1].chief: unknown person 'cheff' (did you mean 'chef'?)",
        f"{FILE}:13: departments[0].head: unknown person 'zz'",
        f"{FILE}:15: forums[0].members[1]: unknown person 'ghost'",
        f"{FILE}:18: chair_rotation[1]: term starting 2028-01-01 overlaps the term ending 2028-12-31",
        f"{FILE}:18: chair_rotation[1].member: unknown member 'kopng' (did you mean 'koping'?)",
        f"{FILE}:20: services[0]: a base service goes to every member; remove its members list",
        f"{FILE}:20: services[0].department: unknown department 'itt' (did you mean 'it'?)",
        f"{FILE}:21: services[1]: an optional service must list the members that take it",
        f"{FILE}:22: services[2].members[0]: unknown member 'kopin' (did you mean 'koping'?)",
        f"{FILE}:24: events[0].forum: unknown forum 'direktionn' (did you mean 'direktion'?)",
        f"{FILE}:29: plan[0].audience: roles and people have no channel; use delivery: dm or name a forum",
        f"{FILE}:29: plan[0].audience.departments[0]: unknown department 'itx' (did you mean 'it'?)",
        f"{FILE}:29: plan[0].audience.forums[0]: forum 'direktion' has no channel to post in",
        f"{FILE}:29: plan[0].audience.members[0]: unknown member 'arbogaa' (did you mean 'arboga'?)",
        f"{FILE}:29: plan[0].audience.roles[0]: unknown role 'directr' (did you mean 'director'?)",
        f"{FILE}:31: plan[0].schedule.relative_to: no event or event kind 'board_meting' "
        "(did you mean 'board_meeting'?)",
        f"{FILE}:32: plan[0].owner: unknown person 'ownr'",
        f"{FILE}:33: plan[0].message: template error on its line 1: unexpected end of template, "
        "expected 'end of print statement'.",
        f"{FILE}:37: plan[1].audience.channels: channels cannot get a DM; use delivery: channel",
        f"{FILE}:39: plan[1].schedule: rrule is not a valid RFC 5545 RRULE: invalid 'FREQ': SOMETIMES",
        f"{FILE}:47: plan[2].schedule: give either rrule (with start) or relative_to, not both or neither",
        f"{FILE}:53: plan[3].audience.channels: channels cannot get a DM; use delivery: channel",
        f"{FILE}:58: plan[3].extra: unknown key 'extra'",
        f"{FILE}:62: plan[4].audience.channels: channels cannot get a DM; use delivery: channel",
    ]


def test_references_to_an_entry_that_failed_validation_are_not_reported_twice():
    text = broken("  - {id: kval, name: Kvalitetschefen, email: kval@test.example}", "  - {id: kval, name: Kval}")
    assert problems(text) == [f"{FILE}:7: people[1]: a person needs an email, a slack_id or a teams_id"]


# samverkan plan check ----------------------------------------------------------------------------------


def test_plan_check_accepts_a_valid_file(tmp_path, capsys):
    path = tmp_path / "samverkan.yaml"
    path.write_text(VALID, encoding="utf-8")
    assert main(["plan", "check", "--config", str(path)]) == 0
    out, err = capsys.readouterr()
    assert out.strip() == f"{path}: OK – 2 plan items, 2 people, 2 forums, 1 event"
    assert err == ""


def test_plan_check_accepts_the_example():
    assert main(["plan", "check", "--config", "bot/demo/vmkf.yaml"]) == 0


def test_plan_check_lists_every_error_and_exits_1(tmp_path, capsys):
    path = tmp_path / "trasig.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    assert main(["plan", "check", "--config", str(path)]) == 1
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == ""
    assert lines[0] == f"{path}: 35 errors in the configuration"
    assert lines[1:] == [line.replace(FILE, str(path), 1) for line in problems(BROKEN)]


def test_plan_check_on_a_missing_file_exits_1(tmp_path, capsys):
    assert main(["plan", "check", "--config", str(tmp_path / "saknas.yaml")]) == 1
    assert "file not found" in capsys.readouterr().err


def test_a_message_template_using_an_unknown_name_is_reported():
    text = broken('"Möte {{ event.date | datum }}"', '"Möte {{ evnt.date | datum }} för {{ mottagare }}"')
    assert problems(text) == [
        f"{FILE}:{line_of(text, 'evnt')}: plan[0].message: the template uses unknown name 'evnt' (did you mean "
        "'event'?); known: association, item, at, event, chair, recipient, owner",
        f"{FILE}:{line_of(text, 'evnt')}: plan[0].message: the template uses unknown name 'mottagare'; known: "
        "association, item, at, event, chair, recipient, owner",
    ]


def test_a_message_template_may_use_its_own_names_and_the_globals():
    message = '\'{% set n = 2 %}{% for x in range(n) %}{{ loop.index }}{% endfor %} {{ plural(n, "a", "b") }}\''
    config = parse_config(broken('"Möte {{ event.date | datum }}"', message))
    assert config.plan[0].message.startswith("{% set n = 2 %}")


def test_a_section_given_twice_is_reported_not_silently_dropped():
    text = VALID + "plan: []\n"
    assert problems(text) == [
        f"{FILE}:{len(text.splitlines())}: (top): 'plan' is given twice here; only the last one would count"
    ]


def test_a_key_given_twice_in_an_entry_is_reported():
    text = broken("{id: kval, name: Kvalitetschefen,", "{id: kval, name: Kvalitetschefen, name: Kvalitet,")
    assert problems(text) == [f"{FILE}:7: people[1]: 'name' is given twice here; only the last one would count"]


def test_an_unquoted_template_is_reported_with_a_hint_not_a_traceback():
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "    message: |\n      Välkommen till", "    message: {{ event.title }}\n    note: |\n      Välkommen till", 1
    )
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "vmkf.yaml")
    rendered = caught.value.render()
    assert rendered.startswith("vmkf.yaml:") and "must be quoted" in rendered


def test_a_dm_to_a_forum_without_members_is_reported():
    members = (
        "    members: [ordforande, vice-ordforande, kommunchef-arboga, kommunchef-koping, kommunchef-kungsor,\n"
        "              kommunchef-surahammar, forbundschef, kvalitetschef]\n"
    )
    text = EXAMPLE.read_text(encoding="utf-8").replace(members, "")
    with pytest.raises(ConfigError) as caught:
        parse_config(text, "vmkf.yaml")
    assert any("forum 'storgrupp' has no members to send a DM to" in p.message for p in caught.value.problems)


@pytest.mark.skipif(yaml_reader.YAML_LOADER is yaml_reader.PurePythonLoader, reason="PyYAML is built without libyaml")
def test_the_c_parser_reads_a_file_as_the_pure_python_parser_does(monkeypatch):
    """Same values (13:00 and dates stay text), same lines, same keys given twice, same errors."""
    example = EXAMPLE.read_text(encoding="utf-8")
    unquoted = broken("date: 2027-02-18, forum", "date: 2027-02-18, time: 13:00, title: Igen, forum")
    with_c = (
        parse_config(example, FILE),
        problems(BROKEN),
        problems(unquoted),
        yaml_reader.parse_yaml(unquoted, FILE)[1],
    )
    monkeypatch.setattr(yaml_reader, "YAML_LOADER", yaml_reader.PurePythonLoader)
    assert (parse_config(example, FILE), problems(BROKEN), problems(unquoted)) == with_c[:3]
    assert yaml_reader.parse_yaml(unquoted, FILE)[1] == with_c[3]
    assert with_c[2] == [
        f"{FILE}:{line_of(unquoted, 'Igen')}: events[0]: 'title' is given twice here; only the last one would count"
    ]
    assert with_c[3]["events"][0] == {
        "id": "direktion-feb",
        "kind": "board_meeting",
        "title": "Igen",
        "date": "2027-02-18",
        "time": "13:00",
        "forum": "direktion",
    }
