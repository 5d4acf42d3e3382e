"""Cross-section checks for goals, indicators and follow-up rounds."""

from typing import Any

from bot.config.errors import did_you_mean
from bot.plan.calendar import add_working_days


def check_followup(check: Any) -> None:
    """Add every problem in the goals and followup_rounds sections to `check.problems`."""
    _check_goals(check)
    _check_rounds(check)


def _check_goals(check: Any) -> None:
    goals = check.sections.get("goals") or []
    check.unique_ids("goals")
    seen: set[str] = set()
    for goal_index, goal in enumerate(goals):
        for index, indicator in enumerate(goal.indicators):
            loc = ("goals", goal_index, "indicators", index)
            if indicator.id in seen:
                check.problems.append(((*loc, "id"), f"duplicate indicator id '{indicator.id}' across goals"))
            seen.add(indicator.id)
            check.references((*loc, "departments"), indicator.departments, "departments", "department")


def _check_rounds(check: Any) -> None:
    rounds = check.sections.get("followup_rounds") or []
    if not rounds:
        return
    check.unique_ids("followup_rounds")
    if not check.sections.get("goals") and "goals" in check.sections:
        check.problems.append((("followup_rounds",), "follow-up rounds need at least one goal in goals"))
    forums = check.sections.get("forums")
    if forums is not None and not any(forum.kind == "board" and forum.channel for forum in forums):
        check.problems.append(
            (("followup_rounds",), "the board digest needs a forum of kind 'board' with a channel in forums")
        )
    events = check.sections.get("events")
    by_id = {event.id: event for event in events or []}
    for index, round_ in enumerate(rounds):
        deadline = round_.deadline
        if deadline.relative_to is None or events is None:
            continue
        event = by_id.get(deadline.relative_to)
        loc = ("followup_rounds", index, "deadline", "relative_to")
        if event is None:
            check.problems.append(
                (loc, f"unknown event '{deadline.relative_to}'{did_you_mean(deadline.relative_to, by_id)}")
            )
        elif add_working_days(event.date, deadline.offset_working_days) < round_.opens:
            check.problems.append((("followup_rounds", index, "deadline"), "the deadline is before the round opens"))
