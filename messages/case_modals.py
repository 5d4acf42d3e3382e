"""The case forms as neutral forms: reporting, assigning, answering and closing, and the notices; and what a
submitted report form holds, read where its option values are built."""

from dataclasses import dataclass

from messages import text_limits
from messages.case_labels import (
    ANONYMOUS_NOTICE,
    ANSWER_NOTES,
    CATEGORY_LABELS,
    CONTACT_HINT,
    FIELD_ERROR_FALLBACK,
    FIELD_ERRORS,
    FIELD_LABELS,
    FORM_SUBMITS,
    FORM_TITLES,
    PLACEHOLDERS,
    PUBLIC_DOCUMENT_NOTICE,
    SENSITIVE_HINT,
    SUBJECT_GROUPS,
    TOGGLE_TEXTS,
    TOO_LONG_NAMES,
)
from messages.form import ChoiceField, FieldErrors, Form, FormValues, Option, Part, Text, TextField, Toggle, notice
from messages.render import render
from messages.text_limits import swedish_count


@dataclass(frozen=True)
class ReportValues:
    """What the reporter filled in on the report form (the subject split into a service or a department)."""

    category: str
    department_id: str | None
    service_id: str | None
    member_id: str | None
    description: str
    contact: str | None
    anonymous: bool
    confidential: bool = False  # "may contain sensitive details": posted restricted from the start


def report_values(values: FormValues) -> ReportValues:
    """The submitted report form read back: the subject option is 'service:<id>' or 'department:<id>'."""
    kind, _, subject = (values.value("subject") or "").partition(":")
    return ReportValues(
        category=values.value("category") or "",
        department_id=subject if kind == "department" else None,
        service_id=subject if kind == "service" else None,
        member_id=values.value("member"),
        description=values.text("description"),
        contact=values.text("contact") or None,
        anonymous=values.toggled("anonymous"),
        confidential=values.toggled("sensitive"),
    )


def _options(pairs: list[tuple[str, str]], group: str | None = None, prefix: str = "") -> tuple[Option, ...]:
    return tuple(Option(f"{prefix}{value}", label, group) for value, label in pairs)


def report_form(
    services: list[tuple[str, str]],
    departments: list[tuple[str, str]],
    members: list[tuple[str, str]],
    description: str = "",
    source_link: str | None = None,
) -> Form:
    """The /synpunkt form; `services`, `departments` and `members` are (id, name) pairs."""
    subjects = _options(services, SUBJECT_GROUPS["service"], "service:")
    subjects += _options(departments, SUBJECT_GROUPS["department"], "department:")
    parts: list[Part] = [
        Text(PUBLIC_DOCUMENT_NOTICE, subtle=True),
        ChoiceField(
            "category",
            FIELD_LABELS["category"],
            _options(list(CATEGORY_LABELS.items())),
            placeholder=PLACEHOLDERS["category"],
        ),
        ChoiceField("subject", FIELD_LABELS["subject"], subjects, placeholder=PLACEHOLDERS["subject"]),
        ChoiceField(
            "member", FIELD_LABELS["member"], _options(members), optional=True, placeholder=PLACEHOLDERS["member"]
        ),
        TextField(
            "description",
            FIELD_LABELS["description"],
            multiline=True,
            max_length=text_limits.CASE_DESCRIPTION,
            initial=description,
        ),
        Toggle("sensitive", FIELD_LABELS["sensitive"], TOGGLE_TEXTS["sensitive"], hint=SENSITIVE_HINT),
    ]
    if source_link:
        parts.append(Text(render("case_report_source", source_link=source_link), subtle=True))
    parts += [
        TextField(
            "contact",
            FIELD_LABELS["contact"],
            max_length=text_limits.CASE_CONTACT,
            optional=True,
            hint=CONTACT_HINT,
        ),
        Toggle("anonymous", FIELD_LABELS["anonymous"], TOGGLE_TEXTS["anonymous"]),
        Text(ANONYMOUS_NOTICE, subtle=True),
    ]
    return Form(
        title=FORM_TITLES["case_report"],
        parts=tuple(parts),
        kind="case_report",
        submit=FORM_SUBMITS["case_report"],
        metadata={"source_link": source_link},
    )


def notice_form(text: str, title: str = FORM_TITLES["case_report"]) -> Form:
    """A form showing only text: while a form is loading, a refusal, or the confirmation with the case number."""
    return notice(title, text)


def _case_form(kind: str, number: str, case_id: int, parts: tuple[Part, ...]) -> Form:
    title = f"{FORM_TITLES[kind]} {number}"
    return Form(title=title, parts=parts, kind=kind, submit=FORM_SUBMITS[kind], metadata={"case_id": case_id})


def assign_form(case_id: int, number: str, people: list[tuple[str, str]]) -> Form:
    field = ChoiceField("assignee", FIELD_LABELS["assignee"], _options(people), placeholder=PLACEHOLDERS["assignee"])
    return _case_form("case_assign", number, case_id, (field,))


def answer_form(case_id: int, number: str, anonymous: bool) -> Form:
    field = TextField("answer", FIELD_LABELS["answer"], multiline=True, max_length=text_limits.CASE_ANSWER)
    return _case_form("case_answer", number, case_id, (Text(ANSWER_NOTES[anonymous], subtle=True), field))


def close_form(case_id: int, number: str) -> Form:
    field = TextField("resolution", FIELD_LABELS["resolution"], multiline=True, max_length=text_limits.CASE_RESOLUTION)
    return _case_form("case_close", number, case_id, (field,))


_LIMITS = {
    "description": text_limits.CASE_DESCRIPTION,
    "contact": text_limits.CASE_CONTACT,
    "answer": text_limits.CASE_ANSWER,
    "resolution": text_limits.CASE_RESOLUTION,
}
TOO_LONG = {f"{field}_too_long": (TOO_LONG_NAMES[field], limit) for field, limit in _LIMITS.items()}


def _error_text(code: str) -> str:
    if code in TOO_LONG:
        what, limit = TOO_LONG[code]
        return render("case_too_long", what=what, limit=swedish_count(limit))
    return FIELD_ERRORS.get(code, FIELD_ERROR_FALLBACK)


def field_errors(problems: dict[str, str]) -> FieldErrors:
    """Swedish messages under a form's fields (field id -> text) for the services' problem codes."""
    return {field: _error_text(code) for field, code in problems.items()}
