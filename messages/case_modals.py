"""The case forms (Block Kit modals): reporting, assigning, answering and closing, and the confirmation."""

import json
from typing import Any

from messages import text_limits
from messages.case_labels import CATEGORY_LABELS
from messages.mrkdwn import link
from messages.slack.blocks import text_blocks
from messages.text_limits import swedish_count

OPTION_TEXT_LIMIT = 75
PUBLIC_DOCUMENT_NOTICE = (
    "*Det du skickar in blir en allmän handling.* Förbundet är en myndighet: ärendet registreras med ett "
    "ärendenummer och kan lämnas ut till den som begär det, om inte sekretess gäller."
)
ANONYMOUS_NOTICE = (
    "Väljer du *anonym* sparas inget om vem du är – inte ens ditt Slack-konto. "
    "Då kan vi inte svara dig eller fråga om något är oklart."
)

ANONYMOUS_LINK_NOTICE = (
    "Väljer du *anonym* sparas inte länken till meddelandet, eftersom den kan visa vem som skrev det. "
    "Skriv då det som behövs i beskrivningen."
)


def _text(value: str, limit: int = OPTION_TEXT_LIMIT) -> dict[str, str]:
    return {"type": "plain_text", "text": value if len(value) <= limit else value[: limit - 1] + "…"}


def option(value: str, label: str) -> dict[str, Any]:
    return {"text": _text(label), "value": value}


def _input(block_id: str, label: str, element: dict[str, Any], optional: bool = False, hint: str | None = None):
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id,
        "label": _text(label),
        "element": {"action_id": "value", **element},
        "optional": optional,
    }
    if hint:
        block["hint"] = _text(hint, 2000)
    return block


def _context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": text}]}


def _modal(callback_id: str, title: str, submit: str, blocks: list, metadata: dict) -> dict[str, Any]:
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": _text(title, 24),
        "submit": _text(submit, 24),
        "close": _text("Avbryt", 24),
        "private_metadata": json.dumps(metadata),
        "blocks": blocks,
    }


def report_modal(
    services: list[tuple[str, str]],
    departments: list[tuple[str, str]],
    members: list[tuple[str, str]],
    description: str = "",
    source_link: str | None = None,
) -> dict[str, Any]:
    """The /synpunkt form; `services`, `departments` and `members` are (id, name) pairs."""
    subject_groups = [
        {"label": _text("Tjänster"), "options": [option(f"service:{i}", name) for i, name in services]},
        {"label": _text("Avdelningar"), "options": [option(f"department:{i}", name) for i, name in departments]},
    ]
    description_element: dict[str, Any] = {
        "type": "plain_text_input",
        "multiline": True,
        "max_length": text_limits.CASE_DESCRIPTION,
    }
    if description:
        description_element["initial_value"] = description[: text_limits.CASE_DESCRIPTION]
    blocks = [
        _context(PUBLIC_DOCUMENT_NOTICE),
        _input(
            "category",
            "Vad gäller det?",
            {
                "type": "static_select",
                "placeholder": _text("Välj kategori"),
                "options": [option(key, label) for key, label in CATEGORY_LABELS.items()],
            },
        ),
        _input(
            "subject",
            "Vilken tjänst eller avdelning?",
            {
                "type": "static_select",
                "placeholder": _text("Välj ur tjänsteutbudet"),
                "option_groups": [group for group in subject_groups if group["options"]],
            },
        ),
        _input(
            "member",
            "Vilken medlemskommun?",
            {
                "type": "static_select",
                "placeholder": _text("Välj kommun"),
                "options": [option(i, name) for i, name in members],
            },
            optional=True,
        ),
        _input("description", "Beskriv ärendet", description_element),
        _input(
            "sensitive",
            "Känsliga uppgifter",
            {"type": "checkboxes", "options": [option("sensitive", "Ärendet kan innehålla känsliga uppgifter")]},
            optional=True,
            hint="Då visar avdelningens kanal bara ärendenummer, kategori och svarsdatum; "
            "handläggarna ser resten med knappen Visa.",
        ),
    ]
    if source_link:
        blocks.append(_context(f"Gäller meddelandet: {link(source_link, 'länk')}\n{ANONYMOUS_LINK_NOTICE}"))
    blocks += [
        _input(
            "contact",
            "Hur vill du bli kontaktad?",
            {"type": "plain_text_input", "max_length": text_limits.CASE_CONTACT},
            optional=True,
            hint="Till exempel telefonnummer eller e-post. Lämna tomt om svaret kan komma här i Slack.",
        ),
        _input(
            "anonymous",
            "Anonymitet",
            {"type": "checkboxes", "options": [option("anonymous", "Jag vill vara anonym")]},
            optional=True,
        ),
        _context(ANONYMOUS_NOTICE),
    ]
    return _modal("case_report", "Synpunkt", "Skicka", blocks, {"source_link": source_link})


def notice_modal(text: str, title: str = "Synpunkt") -> dict[str, Any]:
    """A modal showing only text: while a form is loading, a refusal, or the confirmation with the case number."""
    return {
        "type": "modal",
        "title": _text(title, 24),
        "close": _text("Stäng", 24),
        "blocks": text_blocks(text),
    }


def assign_modal(case_id: int, number: str, people: list[tuple[str, str]]) -> dict[str, Any]:
    element = {
        "type": "static_select",
        "placeholder": _text("Välj handläggare"),
        "options": [option(i, name) for i, name in people],
    }
    blocks = [_input("assignee", "Handläggare", element)]
    return _modal("case_assign", f"Tilldela {number}", "Tilldela", blocks, {"case_id": case_id})


def answer_modal(case_id: int, number: str, anonymous: bool) -> dict[str, Any]:
    element = {"type": "plain_text_input", "multiline": True, "max_length": text_limits.CASE_ANSWER}
    note = (
        "Anmälan är anonym: svaret sparas i ärendet men kan inte skickas till någon."
        if anonymous
        else "Svaret skickas som direktmeddelande till den som lämnade synpunkten och sparas i ärendet."
    )
    blocks = [_context(note), _input("answer", "Svar", element)]
    return _modal("case_answer", f"Svara {number}", "Skicka svar", blocks, {"case_id": case_id})


def close_modal(case_id: int, number: str) -> dict[str, Any]:
    element = {"type": "plain_text_input", "multiline": True, "max_length": text_limits.CASE_RESOLUTION}
    blocks = [_input("resolution", "Hur avslutades ärendet?", element)]
    return _modal("case_close", f"Stäng {number}", "Stäng ärendet", blocks, {"case_id": case_id})


FIELD_ERRORS = {
    "unknown_category": "Välj en kategori i listan.",
    "unknown_subject": "Välj en tjänst eller avdelning i listan.",
    "unknown_member": "Välj en kommun i listan.",
    "empty_description": "Beskriv vad det gäller.",
    "description_too_long": f"Beskrivningen får vara högst {swedish_count(text_limits.CASE_DESCRIPTION)} tecken.",
    "contact_too_long": f"Kontaktuppgiften får vara högst {swedish_count(text_limits.CASE_CONTACT)} tecken.",
    "source_link_invalid": "Länken till meddelandet gick inte att läsa. Stäng formuläret och registrera meddelandet "
    "på nytt.",
    "contact_when_anonymous": "En anonym anmälan kan inte ha kontaktuppgifter. Ta bort dem eller avmarkera anonym.",
    "no_reporter": "Vi kunde inte se vem du är. Välj anonym eller försök igen.",
    "empty_answer": "Skriv ett svar.",
    "answer_too_long": f"Svaret får vara högst {swedish_count(text_limits.CASE_ANSWER)} tecken.",
    "not_configured": "Synpunktshanteringen är inte igång här ännu. Kontakta kvalitetschefen.",
    "empty_resolution": "Beskriv hur ärendet avslutades.",
    "resolution_too_long": f"Beskrivningen får vara högst {swedish_count(text_limits.CASE_RESOLUTION)} tecken.",
    "internal_error": "Något gick fel hos Samverkan och ärendet kunde inte registreras. Det du skrivit finns kvar: "
    "försök igen om en stund. Felet är loggat.",
}


def field_errors(problems: dict[str, str]) -> dict[str, str]:
    """Swedish messages for a form's `response_action: errors`, keyed by block id."""
    return {field: FIELD_ERRORS.get(code, "Kontrollera uppgiften.") for field, code in problems.items()}
