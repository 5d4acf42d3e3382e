"""The personal view as neutral messages ("parts"): a greeting, each kind of task with its button, then what the
plan sends the person in the coming two weeks. Each platform puts the parts together (messages/slack/home.py,
messages/teams/home.py).

At most TASK_LIMIT tasks are shown, each a part of its own (a Slack section and its actions block: two of the Home
tab's 100 blocks); a kind cut short ends with "... och N till" and where the rest are listed."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config.model import AssociationConfig, Person
from bot.home.tasks import MyTasks
from bot.plan.command import DAYS
from bot.plan.overview import upcoming_for
from bot.surveys.notices import open_form_button as survey_button
from messages.actions import ACKNOWLEDGE_BUTTONS_ID, acknowledge_button, open_form_button
from messages.board_task_form import report_button, report_buttons_id
from messages.case_labels import CATEGORY_LABELS
from messages.home_labels import GROUP_TITLES, MORE_POINTERS
from messages.message import Message
from messages.render import render

TASK_LIMIT = 35  # 70 blocks of tasks, leaving 30 of Slack's 100 to the greeting, titles, cuts and the plan


@dataclass(frozen=True)
class Group:
    """One kind of task: its name (a key of the labels), its tasks, and how one task is shown (rendered only for
    the tasks that fit)."""

    kind: str
    tasks: Sequence[Any]
    part: Callable[[Any], Message]


def view_parts(config: AssociationConfig, person: Person | None, tasks: MyTasks | None, now: datetime) -> list[Message]:
    """The whole view; `tasks` None for a person the configuration does not know (told so, nothing else)."""
    if person is None or tasks is None:
        return [Message(text=render("home_intro", association=config.association, person=None, count=0))]
    today = now.astimezone(ZoneInfo(config.association.timezone)).date()
    parts = [Message(text=render("home_intro", association=config.association, person=person, count=tasks.count))]
    room = TASK_LIMIT
    for group in _groups(tasks, today):
        if not group.tasks:
            continue
        shown = [group.part(task) for task in group.tasks[:room]]
        room -= len(shown)
        parts.append(Message(text=render("home_group", titles=GROUP_TITLES, kind=group.kind, count=len(group.tasks))))
        parts += shown
        if rest := len(group.tasks) - len(shown):
            parts.append(Message(text=render("home_more", count=rest, kind=group.kind, pointers=MORE_POINTERS)))
    upcoming = upcoming_for(config, person, now, DAYS)
    parts.append(Message(text=render("home_plan", upcoming=upcoming)))
    return parts


def _groups(tasks: MyTasks, today: date) -> list[Group]:
    return [
        Group("forms", tasks.forms, lambda form: Message(
            text=render("home_form", form=form, today=today),
            buttons=(open_form_button(form.round.id, form.department.id),),
            buttons_id=f"home_form:{form.round.id}:{form.department.id}",
        )),
        Group("cases", tasks.cases, lambda task: Message(
            text=render("home_case", task=task, categories=CATEGORY_LABELS, today=today),
        )),
        Group("acknowledgements", tasks.acknowledgements, lambda task: Message(
            text=render("home_acknowledgement", task=task),
            buttons=(acknowledge_button(task.subject, task.audience),),
            buttons_id=f"{ACKNOWLEDGE_BUTTONS_ID}:{task.subject}:{task.audience}",
        )),
        Group("decisions", tasks.decisions, lambda entry: Message(
            text=render("home_decision", task=entry[0], meeting=entry[1], today=today),
            buttons=(report_button(entry[0].decision.id),),
            buttons_id=report_buttons_id(entry[0].decision.id),
        )),
        Group("surveys", tasks.surveys, lambda task: Message(
            text=render("home_survey", task=task),
            buttons=(survey_button(task.round),),
            buttons_id=f"home_survey:{task.round.survey.id}:{task.round.key}",
        )),
    ]  # fmt: skip
