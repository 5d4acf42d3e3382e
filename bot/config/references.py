"""Cross-section checks: every id that one section names must exist in another."""

from collections.abc import Iterable
from typing import Any

from jinja2 import TemplateSyntaxError

from bot.config.cases_references import check_case_references
from bot.config.errors import did_you_mean
from bot.config.followup_references import check_followup
from bot.config.model import MESSAGE_NAMES
from messages.render import compile_template, template_names

Loc = tuple[Any, ...]
Problem = tuple[Loc, str]
REQUIRED_ROLES = ("director", "quality_manager")


class _Checker:
    def __init__(self, sections: dict[str, Any], invalid: dict[str, list[Any]]):
        self.sections = sections
        self.invalid = invalid
        self.problems: list[Problem] = []

    def invalid_names(self, section: str, key: str = "id") -> set[str]:
        """The names of entries that failed validation: already reported, so references to them are not."""
        entries = self.invalid.get(section) or []
        return {entry[key] for entry in entries if isinstance(entry, dict) and isinstance(entry.get(key), str)}

    def ids(self, section: str) -> set[str] | None:
        """The ids in a section, or None when the section did not validate (then references go unchecked)."""
        entries = self.sections.get(section)
        if entries is None:
            return None
        return {entry.id for entry in entries}

    def reference(self, loc: Loc, value: str | None, section: str, noun: str) -> None:
        known = self.ids(section)
        if value is None or known is None or value in known or value in self.invalid_names(section):
            return
        self.problems.append((loc, f"unknown {noun} '{value}'{did_you_mean(value, known)}"))

    def references(self, loc: Loc, values: Iterable[str] | str, section: str, noun: str) -> None:
        if isinstance(values, str):
            return
        for index, value in enumerate(values):
            self.reference((*loc, index), value, section, noun)

    def unique_ids(self, section: str) -> None:
        seen: set[str] = set()
        for index, entry in enumerate(self.sections.get(section) or []):
            if entry.id in seen:
                self.problems.append(((section, index, "id"), f"duplicate id '{entry.id}' in {section}"))
            seen.add(entry.id)


def check_references(sections: dict[str, Any], invalid: dict[str, list[Any]] | None = None) -> list[Problem]:
    """Every broken reference, duplicate id and impossible combination across sections.

    `invalid` holds, per section, the raw entries that failed validation (references to them are not errors).
    """
    check = _Checker(sections, invalid or {})
    for section in ("people", "members", "departments", "forums", "services", "events", "plan"):
        check.unique_ids(section)
    _check_roles(check)
    for index, member in enumerate(sections.get("members") or []):
        check.reference(("members", index, "chief"), member.chief, "people", "person")
    for index, department in enumerate(sections.get("departments") or []):
        check.reference(("departments", index, "head"), department.head, "people", "person")
        check.reference(("departments", index, "deputy"), department.deputy, "people", "person")
    for index, forum in enumerate(sections.get("forums") or []):
        check.references(("forums", index, "members"), forum.members, "people", "person")
    _check_chair_rotation(check)
    for index, service in enumerate(sections.get("services") or []):
        check.reference(("services", index, "department"), service.department, "departments", "department")
        check.references(("services", index, "members"), service.members, "members", "member")
    for index, event in enumerate(sections.get("events") or []):
        check.reference(("events", index, "forum"), event.forum, "forums", "forum")
    for index, item in enumerate(sections.get("plan") or []):
        _check_plan_item(check, ("plan", index), item)
    check_followup(check)
    check_case_references(check)
    return check.problems


def _check_roles(check: _Checker) -> None:
    roles = check.sections.get("roles")
    if roles is None:
        return
    for role, person in roles.items():
        check.reference(("roles", role), person, "people", "person")
    for role in REQUIRED_ROLES:
        if role not in roles:
            check.problems.append((("roles",), f"role '{role}' is required"))


def _check_chair_rotation(check: _Checker) -> None:
    terms = check.sections.get("chair_rotation") or []
    for index, term in enumerate(terms):
        check.reference(("chair_rotation", index, "member"), term.member, "members", "member")
    ordered = sorted(enumerate(terms), key=lambda pair: pair[1].start)
    for (_, earlier), (index, later) in zip(ordered, ordered[1:], strict=False):
        if later.start <= earlier.end:
            check.problems.append(
                (("chair_rotation", index), f"term starting {later.start} overlaps the term ending {earlier.end}")
            )


def _check_plan_item(check: _Checker, loc: Loc, item: Any) -> None:
    check.reference((*loc, "owner"), item.owner, "people", "person")
    audience, at = item.audience, (*loc, "audience")
    check.references((*at, "forums"), audience.forums, "forums", "forum")
    check.references((*at, "departments"), audience.departments, "departments", "department")
    check.references((*at, "members"), audience.members, "members", "member")
    check.references((*at, "people"), audience.people, "people", "person")
    roles = check.sections.get("roles")
    if roles is not None:
        for index, role in enumerate(audience.roles):
            if role not in roles:
                check.problems.append(((*at, "roles", index), f"unknown role '{role}'{did_you_mean(role, roles)}"))
    if item.delivery == "channel":
        _check_channel_audience(check, at, audience)
    else:
        if audience.channels:
            check.problems.append(((*at, "channels"), "channels cannot get a DM; use delivery: channel"))
        forums = {forum.id: forum for forum in check.sections.get("forums") or []}
        for index, forum_id in enumerate(audience.forums):
            if forum_id in forums and not forums[forum_id].members:
                check.problems.append(((*at, "forums", index), f"forum '{forum_id}' has no members to send a DM to"))
    _check_schedule(check, (*loc, "schedule"), item.schedule)
    try:
        compile_template(item.message)
    except TemplateSyntaxError as exc:
        check.problems.append(((*loc, "message"), f"template error on its line {exc.lineno}: {exc.message}"))
        return
    for name in sorted(template_names(item.message) - set(MESSAGE_NAMES)):
        suggestion = did_you_mean(name, MESSAGE_NAMES)
        known = ", ".join(MESSAGE_NAMES)
        check.problems.append(
            ((*loc, "message"), f"the template uses unknown name '{name}'{suggestion}; known: {known}")
        )


def _check_channel_audience(check: _Checker, at: Loc, audience: Any) -> None:
    if audience.roles or audience.people:
        check.problems.append((at, "roles and people have no channel; use delivery: dm or name a forum"))
    for section, key in (("forums", "forums"), ("departments", "departments"), ("members", "members")):
        entries = {entry.id: entry for entry in check.sections.get(section) or []}
        chosen = entries if getattr(audience, key) == "all" else getattr(audience, key)
        for index, entry_id in enumerate(chosen):
            entry = entries.get(entry_id)
            if entry is not None and entry.channel is None:
                where = (*at, key) if getattr(audience, key) == "all" else (*at, key, index)
                check.problems.append((where, f"{section[:-1]} '{entry_id}' has no channel to post in"))


def _check_schedule(check: _Checker, loc: Loc, schedule: Any) -> None:
    events = check.sections.get("events")
    if schedule.relative_to is None or events is None:
        return
    names = {event.id for event in events} | {event.kind for event in events}
    names |= check.invalid_names("events") | check.invalid_names("events", "kind")
    if schedule.relative_to not in names:
        suggestion = did_you_mean(schedule.relative_to, names)
        check.problems.append(((*loc, "relative_to"), f"no event or event kind '{schedule.relative_to}'{suggestion}"))
