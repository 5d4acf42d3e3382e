"""Cross-section checks: every id that one section names must exist in another.

The sections hold what validated and, for entries that did not, what is left of them (bot.config.salvage): a
field that did not validate is UNCHECKED, so each check uses a value only when it has the type the check needs
(isinstance, `list_of`) and skips it otherwise: the field's own error is already reported.
"""

from datetime import date
from typing import Any

from jinja2 import TemplateSyntaxError

from bot.config.board_references import check_board_references
from bot.config.cases_references import check_case_references
from bot.config.errors import did_you_mean
from bot.config.followup_references import check_followup
from bot.config.model import MESSAGE_NAMES, Audience, PlanItem, Schedule
from bot.config.platform_references import check_platforms
from bot.config.salvage import list_of
from bot.config.surveys_references import check_survey_references
from messages.render import template_names

Loc = tuple[Any, ...]
Problem = tuple[Loc, str]
REQUIRED_ROLES = ("director", "quality_manager")


class _Checker:
    def __init__(self, sections: dict[str, Any], invalid: dict[str, Any]):
        self.sections = sections
        self.invalid = invalid
        self.problems: list[Problem] = []

    def invalid_names(self, section: str, key: str = "id") -> set[str]:
        """The names given in a section that failed validation (an entry written as a bare name counts as its
        id): a name that is itself invalid is already reported, so references to it are not."""
        entries = self.invalid.get(section)
        if not isinstance(entries, list):
            return set()
        names = [entry.get(key) for entry in entries if isinstance(entry, dict)]
        if key == "id":
            names += [entry for entry in entries if isinstance(entry, str)]
        return {name for name in names if isinstance(name, str)}

    def entries(self, section: str) -> list[Any]:
        """A list section's entries, or [] when it is missing or not a list."""
        return list_of(self.sections.get(section))

    def ids(self, section: str) -> set[str] | None:
        """The ids in a section, or None when the section is unusable (then references to it go unchecked)."""
        entries = self.sections.get(section)
        if not isinstance(entries, list):
            return None
        return {entry.id for entry in entries if isinstance(entry.id, str)}

    def reference(self, loc: Loc, value: object, section: str, noun: str) -> None:
        known = self.ids(section)
        if not isinstance(value, str) or known is None or value in known or value in self.invalid_names(section):
            return
        self.problems.append((loc, f"unknown {noun} '{value}'{did_you_mean(value, known)}"))

    def references(self, loc: Loc, values: object, section: str, noun: str) -> None:
        for index, value in enumerate(list_of(values)):
            self.reference((*loc, index), value, section, noun)

    def unique_ids(self, section: str) -> None:
        seen: set[str] = set()
        for index, entry in enumerate(self.entries(section)):
            if not isinstance(entry.id, str):
                continue
            if entry.id in seen:
                self.problems.append(((section, index, "id"), f"duplicate id '{entry.id}' in {section}"))
            seen.add(entry.id)


def check_references(sections: dict[str, Any], invalid: dict[str, Any] | None = None) -> list[Problem]:
    """Every broken reference, duplicate id and impossible combination across sections.

    `invalid` holds the raw data of the sections that failed validation (references to their names are not
    errors: a name that did not validate is reported already).
    """
    check = _Checker(sections, invalid or {})
    for section in ("people", "members", "departments", "forums", "services", "events", "plan"):
        check.unique_ids(section)
    _check_roles(check)
    for index, member in enumerate(check.entries("members")):
        check.reference(("members", index, "chief"), member.chief, "people", "person")
        check.reference(("members", index, "contact"), member.contact, "people", "person")
    for index, department in enumerate(check.entries("departments")):
        check.reference(("departments", index, "head"), department.head, "people", "person")
        check.reference(("departments", index, "deputy"), department.deputy, "people", "person")
    for index, forum in enumerate(check.entries("forums")):
        check.references(("forums", index, "members"), forum.members, "people", "person")
    _check_chair_rotation(check)
    for index, service in enumerate(check.entries("services")):
        check.reference(("services", index, "department"), service.department, "departments", "department")
        check.references(("services", index, "members"), service.members, "members", "member")
    for index, event in enumerate(check.entries("events")):
        check.reference(("events", index, "forum"), event.forum, "forums", "forum")
    for index, item in enumerate(check.entries("plan")):
        _check_plan_item(check, ("plan", index), item)
    check_followup(check)
    check_case_references(check)
    check_board_references(check)
    check_survey_references(check)
    check_platforms(check)
    return check.problems


def _check_roles(check: _Checker) -> None:
    roles = check.sections.get("roles")
    if not isinstance(roles, dict):
        return
    for role, person in roles.items():
        check.reference(("roles", role), person, "people", "person")
    for role in REQUIRED_ROLES:
        if role not in roles:
            check.problems.append((("roles",), f"role '{role}' is required"))


def _check_chair_rotation(check: _Checker) -> None:
    terms = check.entries("chair_rotation")
    for index, term in enumerate(terms):
        check.reference(("chair_rotation", index, "member"), term.member, "members", "member")
    dated = [pair for pair in enumerate(terms) if isinstance(pair[1].start, date) and isinstance(pair[1].end, date)]
    ordered = sorted(dated, key=lambda pair: pair[1].start)
    for (_, earlier), (index, later) in zip(ordered, ordered[1:], strict=False):
        if later.start <= earlier.end:
            check.problems.append(
                (("chair_rotation", index), f"term starting {later.start} overlaps the term ending {earlier.end}")
            )


def _check_plan_item(check: _Checker, loc: Loc, item: PlanItem) -> None:
    check.reference((*loc, "owner"), item.owner, "people", "person")
    if isinstance(item.audience, Audience):
        _check_audience(check, (*loc, "audience"), item.audience, item.delivery)
    if isinstance(item.schedule, Schedule):
        _check_schedule(check, (*loc, "schedule"), item.schedule)
    if not isinstance(item.message, str):
        return
    try:
        # Finding the names runs Jinja's code generator, which refuses what compiling would (an unknown filter,
        # a block defined twice): the template itself is compiled when it is first rendered.
        names = template_names(item.message)
    except TemplateSyntaxError as exc:
        check.problems.append(((*loc, "message"), f"template error on its line {exc.lineno}: {exc.message}"))
        return
    for name in sorted(names - set(MESSAGE_NAMES)):
        suggestion = did_you_mean(name, MESSAGE_NAMES)
        known = ", ".join(MESSAGE_NAMES)
        check.problems.append(
            ((*loc, "message"), f"the template uses unknown name '{name}'{suggestion}; known: {known}")
        )


def _check_audience(check: _Checker, at: Loc, audience: Audience, delivery: object) -> None:
    check.references((*at, "forums"), audience.forums, "forums", "forum")
    check.references((*at, "departments"), audience.departments, "departments", "department")
    check.references((*at, "members"), audience.members, "members", "member")
    check.references((*at, "people"), audience.people, "people", "person")
    roles = check.sections.get("roles")
    if isinstance(roles, dict):
        for index, role in enumerate(list_of(audience.roles)):
            if isinstance(role, str) and role not in roles:
                check.problems.append(((*at, "roles", index), f"unknown role '{role}'{did_you_mean(role, roles)}"))
    if delivery == "channel":
        _check_channel_audience(check, at, audience)
    elif delivery == "dm":
        if audience.channels:
            check.problems.append(((*at, "channels"), "channels cannot get a DM; use delivery: channel"))
        forums = {forum.id: forum for forum in check.entries("forums")}
        for index, forum_id in enumerate(list_of(audience.forums)):
            if forum_id in forums and not forums[forum_id].members:
                check.problems.append(((*at, "forums", index), f"forum '{forum_id}' has no members to send a DM to"))


def _check_channel_audience(check: _Checker, at: Loc, audience: Audience) -> None:
    if audience.roles or audience.people:
        check.problems.append((at, "roles and people have no channel; use delivery: dm or name a forum"))
    for section, key in (("forums", "forums"), ("departments", "departments"), ("members", "members")):
        entries = {entry.id: entry for entry in check.entries(section) if isinstance(entry.id, str)}
        every = getattr(audience, key) == "all"
        chosen = list(entries) if every else list_of(getattr(audience, key))
        for index, entry_id in enumerate(chosen):
            entry = entries.get(entry_id) if isinstance(entry_id, str) else None
            if entry is not None and entry.channel is None:
                where = (*at, key) if every else (*at, key, index)
                check.problems.append((where, f"{section[:-1]} '{entry_id}' has no channel to post in"))


def _check_schedule(check: _Checker, loc: Loc, schedule: Schedule) -> None:
    events = check.sections.get("events")
    if not isinstance(schedule.relative_to, str) or not isinstance(events, list):
        return
    names = {name for event in events for name in (event.id, event.kind) if isinstance(name, str)}
    names |= check.invalid_names("events") | check.invalid_names("events", "kind")
    if schedule.relative_to not in names:
        suggestion = did_you_mean(schedule.relative_to, names)
        check.problems.append(((*loc, "relative_to"), f"no event or event kind '{schedule.relative_to}'{suggestion}"))
