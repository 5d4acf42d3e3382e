"""A decision task's report form as a neutral form (done, delayed with a new date, or a comment), its per-field
errors, the Rapportera button that opens it, and the Swedish labels of the reports' kinds and the tasks' statuses."""

import json
import re
from typing import Any

from messages.form import ChoiceField, Form, Option, Text, TextField, notice
from messages.labels import labels
from messages.message import Button, ButtonStyle
from messages.render import render
from messages.text_limits import BOARD_TASK_COMMENT

_FORM = labels("board_tasks.form")
KIND_LABELS = labels("board_tasks.kinds")  # done, delayed, comment: storage.board.TaskReportKind's values
STATUS_LABELS = labels("board_tasks.statuses")
ERROR_TEXT = {**labels("board_tasks.errors"), "too_long": render("followup_too_long", limit=BOARD_TASK_COMMENT)}
FORM_TITLE = _FORM["title"]

REPORT_FORM = "board_task_report_form"  # the form's kind: Slack's callback id, the Teams card's verb
REPORT_ACTION = "board_task_report"  # the Rapportera button's action, followed by ':<decision id>'
# Each button's action names its decision, so that several in one message (a list of tasks) differ, as Slack wants
# of the action ids in one block; the handlers route every action that matches this.
REPORT_ACTIONS = re.compile(rf"^{REPORT_ACTION}:\d+$")
KIND, NEW_DUE, COMMENT = "kind", "new_due", "comment"


TASK_LIST_BUTTONS_ID = "board_tasks"  # the buttons under /direktion uppgifter


def report_buttons_id(decision_id: int) -> str:
    """The id of the buttons under a message about one decision's task."""
    return f"board_task:{decision_id}"


def report_button(decision_id: int, number: int | None = None) -> Button:
    """The button that opens the report form of one decision's task in a dialog ('Rapportera', or 'Rapportera 2'
    for the second task of a list): the message it is on stays as it is."""
    value = json.dumps({"decision": decision_id})
    label = _FORM["report_button"] if number is None else f"{_FORM['report_button']} {number}"
    style = ButtonStyle.PRIMARY if number is None else None
    return Button(f"{REPORT_ACTION}:{decision_id}", label, value, style, opens_dialog=True)


def report_form(task: Any, meeting: Any, owner: Any) -> Form:
    """The report form of a task (bot.board.tasks.DecisionTask), with its meeting (an event, or None) and owner (a
    person, or None) named at the top."""
    header = render("board_task_form_header", task=task, meeting=meeting, owner=owner, kinds=KIND_LABELS)
    kinds = tuple(Option(code, label) for code, label in KIND_LABELS.items())
    return Form(
        title=FORM_TITLE,
        parts=(
            Text(header),
            ChoiceField(KIND, _FORM["kind_label"], kinds),
            TextField(
                NEW_DUE,
                _FORM["new_due_label"],
                max_length=10,
                placeholder=_FORM["new_due_placeholder"],
                optional=True,
                hint=_FORM["new_due_hint"],
            ),
            TextField(
                COMMENT,
                _FORM["comment_label"],
                multiline=True,
                max_length=BOARD_TASK_COMMENT,
                optional=True,
                hint=_FORM["comment_hint"],
            ),
        ),
        kind=REPORT_FORM,
        submit=_FORM["submit"],
        metadata={"decision": task.decision.id},
    )


def notice_form(text: str) -> Form:
    """The form's place taken by a text: loading, a refusal, the confirmation."""
    return notice(FORM_TITLE, text)
