"""The BAS survey as a neutral form: the three NKI questions, then per service three ratings and what to improve,
one section each (a platform pages them when they do not fit), and reading a submitted page back.

A field's id is '<service id>|<question>' ('_nki|overall' for the NKI questions; a service id cannot start with
'_'); the form's metadata names the survey, the round and the ballot that ties its pages together."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from messages.form import ChoiceField, Divider, Form, FormValues, Option, Paging, Part, Text, TextField, notice
from messages.render import render
from messages.survey_labels import FORM_TITLE, NEXT_SUBMIT, QUESTIONS, SCALE, SUBMIT
from messages.text_limits import SURVEY_TEXT

FORM_CALLBACK = "survey_form"
OPEN_FORM_ACTION = "survey_open_form"
OPEN_FORM_BUTTONS_ID = "survey_open"
NKI_FIELD = "_nki"  # the field prefix of the NKI questions
NKI_QUESTIONS = ("overall", "expectations", "ideal")
SERVICE_RATINGS = ("quality", "responsiveness", "availability")
IMPROVE = "improve"
SCORES = tuple(str(score) for score in range(1, 11))
Current = Mapping[tuple[str, str], int | str | None]  # (service id, '' for NKI; question) -> the answer so far


@dataclass(frozen=True)
class FormHeading:
    """What the form says above the questions."""

    survey: str
    member: str
    closes_at: datetime
    anonymous: bool


def field_id(service_id: str, question: str) -> str:
    return f"{service_id or NKI_FIELD}|{question}"


def typed_answers(values: FormValues) -> dict[tuple[str, str], str | None]:
    """A submitted page's answers as typed, by (service id, '' for NKI; question); other fields are left out."""
    typed: dict[tuple[str, str], str | None] = {}
    for submitted in values.values:
        prefix, separator, question = submitted.partition("|")
        if separator and question:
            typed[("" if prefix == NKI_FIELD else prefix, question)] = values.value(submitted)
    return typed


def _score_options() -> tuple[Option, ...]:
    labels = {"1": SCALE["lowest"], "10": SCALE["highest"]}
    return tuple(Option(score, labels.get(score, score)) for score in SCORES)


def _rating(service_id: str, question: str, current: Current) -> ChoiceField:
    answer = current.get((service_id, question))
    return ChoiceField(
        field_id(service_id, question),
        QUESTIONS[question],
        _score_options(),
        initial=(str(answer),) if isinstance(answer, int) else (),
        placeholder=SCALE["placeholder"],
        hint=SCALE["hint"],
    )


def _nki_section(current: Current) -> tuple[Part, ...]:
    return (
        Text(render("survey_form_nki")),
        *(_rating("", question, current) for question in NKI_QUESTIONS),
        Divider(),
    )


def _service_section(service_id: str, name: str, current: Current) -> tuple[Part, ...]:
    improve = current.get((service_id, IMPROVE))
    return (
        Text(render("survey_form_service", service=name)),
        *(_rating(service_id, question, current) for question in SERVICE_RATINGS),
        TextField(
            field_id(service_id, IMPROVE),
            QUESTIONS[IMPROVE],
            multiline=True,
            max_length=SURVEY_TEXT,
            initial=improve if isinstance(improve, str) else "",
            optional=True,
        ),
        Divider(),
    )


def survey_form(
    heading: FormHeading, services: list[tuple[str, str]], current: Current, metadata: dict[str, str]
) -> Form:
    """The form: the NKI questions and one section per (service id, name), pre-filled with `current`."""
    sections = (_nki_section(current), *(_service_section(sid, name, current) for sid, name in services))
    return Form(
        title=FORM_TITLE,
        parts=(Text(render("survey_form_header", heading=heading)),),
        kind=FORM_CALLBACK,
        submit=SUBMIT,
        metadata=metadata,
        paging=Paging(sections, next_submit=NEXT_SUBMIT),
    )


def survey_notice(text: str) -> Form:
    """A form that only says something (loading, refusals, the thanks)."""
    return notice(FORM_TITLE, text)
