"""The follow-up forms as neutral forms: a department's answers (paged by the platform), the chooser of round
and department, and notices (the DM's button is in messages/actions.py)."""

from typing import Any

from messages.followup_labels import (
    ACTIONS_HINT,
    CHOOSER_LABEL,
    CHOOSER_LEFT_OUT,
    CHOOSER_SUBMIT,
    FIELD_LABELS,
    FORM_TITLE,
    NEXT_SUBMIT,
    STATUS_LABELS,
    SUBMIT,
    VALUE_LABELS,
    format_number,
    input_number,
)
from messages.form import ChoiceField, Divider, Form, FormValues, Option, Paging, Part, Text, TextField, notice
from messages.render import render
from messages.survey_labels import format_index
from messages.text_limits import FOLLOWUP_TEXT

FORM_CALLBACK = "followup_form"
CHOOSER_CALLBACK = "followup_choose"
OPEN_FORM_ACTION = "followup_open_form"
FIELDS = ("status", "value", "comment", "actions")


def field_id(indicator_id: str, field: str) -> str:
    """The id of one field of one indicator: '<indicator>|<field>'."""
    return f"{indicator_id}|{field}"


def answers_from(values: FormValues) -> dict[str, dict[str, str | None]]:
    """The typed answers of a submitted page, by indicator and then field (the field ids of `field_id`)."""
    answers: dict[str, dict[str, str | None]] = {}
    for submitted_id in values.values:
        indicator_id, _, field = submitted_id.partition("|")
        if field in FIELDS:
            answers.setdefault(indicator_id, {})[field] = values.value(submitted_id)
    return answers


def chosen(value: str) -> tuple[str, str] | None:
    """The (round id, department id) of the chooser's option value 'round|department'; None when it is not one."""
    round_id, _, department_id = value.partition("|")
    return (round_id, department_id) if round_id and department_id else None


def notice_form(text: str, title: str = FORM_TITLE) -> Form:
    """A form that only says something (loading, refusals, confirmations)."""
    return notice(title, text)


def chooser_form(choices: list[tuple[Any, Any]]) -> Form:
    """Ask which round and department to answer for, when there are several."""
    options = tuple(
        Option(f"{round_.id}|{department.id}", f"{department.name} – {round_.name}") for round_, department in choices
    )
    field = ChoiceField("choice", CHOOSER_LABEL, options, overflow=CHOOSER_LEFT_OUT)
    return Form(title=FORM_TITLE, parts=(field,), kind=CHOOSER_CALLBACK, submit=CHOOSER_SUBMIT)


def _value_text(answer: Any) -> str:
    """A value as shown beside the field."""
    if answer is None:
        return ""
    return answer.value_text if answer.value_number is None else format_number(answer.value_number)


def _value_input(answer: Any) -> str:
    """A value as pre-filled in the field: exact, so an unchanged field saves the same value."""
    if answer is None:
        return ""
    return answer.value_text if answer.value_number is None else input_number(answer.value_number)


def _indicator_parts(item: Any, previous_round: Any) -> tuple[Part, ...]:
    indicator, prefill, previous = item.indicator, item.current or item.previous, item.previous
    heading = render(
        "followup_form_indicator",
        indicator=indicator,
        goal=item.goal,
        previous_round=previous_round,
        previous_value=None if previous is None else _value_text(previous),
        previous_status=None if previous is None else STATUS_LABELS[previous.status],
    )
    statuses = tuple(Option(code, label) for code, label in STATUS_LABELS.items())
    survey = item.survey  # the survey's index replaces last round's value; the note says where it came from
    return (
        Text(heading),
        ChoiceField(
            field_id(indicator.id, "status"), FIELD_LABELS["status"], statuses, (prefill.status,) if prefill else ()
        ),
        TextField(
            field_id(indicator.id, "value"),
            VALUE_LABELS[indicator.unit],
            max_length=FOLLOWUP_TEXT,  # what bot/followup/validation.py accepts
            initial=format_index(survey.index) if survey else _value_input(prefill),
        ),
        *((Text(render("followup_form_survey_note", survey=survey), subtle=True),) if survey else ()),
        _note_field(indicator.id, "comment", FIELD_LABELS["comment"], prefill.comment if prefill else None),
        _note_field(
            indicator.id, "actions", FIELD_LABELS["actions"], prefill.actions if prefill else None, ACTIONS_HINT
        ),
        Divider(),
    )


def _note_field(indicator_id: str, field: str, label: str, initial: str | None, hint: str | None = None) -> TextField:
    """An optional free-text field of an indicator's answer (its comment, its planned actions)."""
    return TextField(
        field_id(indicator_id, field),
        label,
        multiline=True,
        max_length=FOLLOWUP_TEXT,
        initial=initial or "",
        optional=True,
        hint=hint,
    )


def answer_form(data: Any) -> Form:
    """A department's form for a round: one section per indicator, which a platform may spread over pages."""
    header = render("followup_form_header", round=data.round, department=data.department, times=data.times)
    sections = tuple(_indicator_parts(item, data.previous_round) for item in data.items)
    return Form(
        title=FORM_TITLE,
        parts=(Text(header),),
        kind=FORM_CALLBACK,
        submit=SUBMIT,
        metadata={"round": data.round.id, "department": data.department.id},
        paging=Paging(sections, next_submit=NEXT_SUBMIT),
    )
