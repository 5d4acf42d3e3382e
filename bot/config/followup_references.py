"""Cross-section checks for goals, indicators and follow-up rounds."""

from datetime import date
from typing import Any

from bot.config.errors import did_you_mean
from bot.config.followup_model import Deadline
from bot.config.salvage import list_of
from bot.workdays import add_working_days, next_working_day


def check_followup(check: Any) -> None:
    """Add every problem in the goals and followup_rounds sections to `check.problems`."""
    _check_goals(check)
    _check_rounds(check)


def _check_goals(check: Any) -> None:
    check.unique_ids("goals")
    seen: set[str] = set()
    for goal_index, goal in enumerate(check.entries("goals")):
        for index, indicator in enumerate(list_of(goal.indicators)):
            loc = ("goals", goal_index, "indicators", index)
            if isinstance(indicator.id, str):
                if indicator.id in seen:
                    check.problems.append(((*loc, "id"), f"duplicate indicator id '{indicator.id}' across goals"))
                seen.add(indicator.id)
            check.references((*loc, "departments"), indicator.departments, "departments", "department")


def _check_rounds(check: Any) -> None:
    rounds = check.entries("followup_rounds")
    if not rounds:
        return
    check.unique_ids("followup_rounds")
    if not check.sections.get("goals") and "goals" in check.sections:
        check.problems.append((("followup_rounds",), "follow-up rounds need at least one goal in goals"))
    forums = check.sections.get("forums")
    if isinstance(forums, list) and not any(forum.kind == "board" and forum.channel for forum in forums):
        check.problems.append(
            (("followup_rounds",), "the board digest needs a forum of kind 'board' with a channel in forums")
        )
    events = check.sections.get("events")
    by_id = {event.id: event for event in list_of(events) if isinstance(event.id, str)}
    for index, round_ in enumerate(rounds):
        if not isinstance(round_.deadline, Deadline):
            continue
        deadline = round_.deadline.date
        relative_to = round_.deadline.relative_to
        if isinstance(relative_to, str):
            if not isinstance(events, list):
                continue
            event = by_id.get(relative_to)
            if event is None:
                loc = ("followup_rounds", index, "deadline", "relative_to")
                check.problems.append((loc, f"unknown event '{relative_to}'{did_you_mean(relative_to, by_id)}"))
                continue
            offset = round_.deadline.offset_working_days
            if not isinstance(event.date, date) or not isinstance(offset, int):
                continue
            deadline = add_working_days(event.date, offset)
            if isinstance(round_.opens, date) and deadline < round_.opens:
                loc = ("followup_rounds", index, "deadline")
                check.problems.append((loc, "the deadline is before the round opens"))
                continue
        if isinstance(deadline, date) and isinstance(round_.opens, date):
            _check_reminders(check, index, round_, deadline)


def _check_reminders(check: Any, index: int, round_: Any, deadline: date) -> None:
    """Every reminder must fall after the opening day; one before it would ask about a round not yet open."""
    opening = next_working_day(round_.opens)
    offsets = {offset for offset in list_of(round_.reminders_working_days_before) if isinstance(offset, int)}
    for offset in sorted(offsets):
        day = add_working_days(deadline, -offset)
        if day <= opening:
            check.problems.append(
                (
                    ("followup_rounds", index, "reminders_working_days_before"),
                    f"the reminder {offset} working days before the deadline ({deadline}) falls on {day}, "
                    f"not after the round opens on {opening}",
                )
            )
