"""The case forms as neutral forms: reporting, assigning, answering and closing, and the notices."""

from messages import text_limits
from messages.case_labels import (
    ANONYMOUS_NOTICE,
    ANSWER_NOTES,
    CATEGORY_LABELS,
    CONTACT_HINT,
    FIELD_ERRORS,
    FORM_TITLES,
    PUBLIC_DOCUMENT_NOTICE,
    SENSITIVE_HINT,
)
from messages.form import ChoiceField, FieldErrors, Form, Option, Part, Text, TextField, Toggle, notice
from messages.render import render
from messages.text_limits import swedish_count


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
    subjects = _options(services, "Tjänster", "service:") + _options(departments, "Avdelningar", "department:")
    parts: list[Part] = [
        Text(PUBLIC_DOCUMENT_NOTICE, subtle=True),
        ChoiceField(
            "category",
            "Vad gäller det?",
            _options(list(CATEGORY_LABELS.items())),
            placeholder="Välj kategori",
        ),
        ChoiceField("subject", "Vilken tjänst eller avdelning?", subjects, placeholder="Välj ur tjänsteutbudet"),
        ChoiceField("member", "Vilken medlemskommun?", _options(members), optional=True, placeholder="Välj kommun"),
        TextField(
            "description",
            "Beskriv ärendet",
            multiline=True,
            max_length=text_limits.CASE_DESCRIPTION,
            initial=description,
        ),
        Toggle("sensitive", "Känsliga uppgifter", "Ärendet kan innehålla känsliga uppgifter", hint=SENSITIVE_HINT),
    ]
    if source_link:
        parts.append(Text(render("case_report_source", source_link=source_link), subtle=True))
    parts += [
        TextField(
            "contact",
            "Hur vill du bli kontaktad?",
            max_length=text_limits.CASE_CONTACT,
            optional=True,
            hint=CONTACT_HINT,
        ),
        Toggle("anonymous", "Anonymitet", "Jag vill vara anonym"),
        Text(ANONYMOUS_NOTICE, subtle=True),
    ]
    return Form(
        title="Synpunkt",
        parts=tuple(parts),
        kind="case_report",
        submit="Skicka",
        metadata={"source_link": source_link},
    )


def notice_form(text: str, title: str = "Synpunkt") -> Form:
    """A form showing only text: while a form is loading, a refusal, or the confirmation with the case number."""
    return notice(title, text)


def _case_form(kind: str, number: str, submit: str, case_id: int, parts: tuple[Part, ...]) -> Form:
    title = f"{FORM_TITLES[kind]} {number}"
    return Form(title=title, parts=parts, kind=kind, submit=submit, metadata={"case_id": case_id})


def assign_form(case_id: int, number: str, people: list[tuple[str, str]]) -> Form:
    field = ChoiceField("assignee", "Handläggare", _options(people), placeholder="Välj handläggare")
    return _case_form("case_assign", number, "Tilldela", case_id, (field,))


def answer_form(case_id: int, number: str, anonymous: bool) -> Form:
    field = TextField("answer", "Svar", multiline=True, max_length=text_limits.CASE_ANSWER)
    return _case_form(
        "case_answer", number, "Skicka svar", case_id, (Text(ANSWER_NOTES[anonymous], subtle=True), field)
    )


def close_form(case_id: int, number: str) -> Form:
    field = TextField("resolution", "Hur avslutades ärendet?", multiline=True, max_length=text_limits.CASE_RESOLUTION)
    return _case_form("case_close", number, "Stäng ärendet", case_id, (field,))


TOO_LONG = {
    "description_too_long": ("Beskrivningen", text_limits.CASE_DESCRIPTION),
    "contact_too_long": ("Kontaktuppgiften", text_limits.CASE_CONTACT),
    "answer_too_long": ("Svaret", text_limits.CASE_ANSWER),
    "resolution_too_long": ("Beskrivningen", text_limits.CASE_RESOLUTION),
}


def _error_text(code: str) -> str:
    if code in TOO_LONG:
        what, limit = TOO_LONG[code]
        return render("case_too_long", what=what, limit=swedish_count(limit))
    return FIELD_ERRORS.get(code, "Kontrollera uppgiften.")


def field_errors(problems: dict[str, str]) -> FieldErrors:
    """Swedish messages under a form's fields (field id -> text) for the services' problem codes."""
    return {field: _error_text(code) for field, code in problems.items()}
