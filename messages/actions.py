"""The buttons features put under their messages, as neutral Buttons (any platform renders them)."""

import json

from messages.followup_form import OPEN_FORM_ACTION
from messages.message import Button, ButtonStyle

OPEN_FORM_BUTTONS_ID = "followup_open"


def open_form_button(round_id: str, department_id: str) -> Button:
    """The button under an invitation or reminder DM that opens the follow-up form."""
    value = json.dumps({"round": round_id, "department": department_id})
    return Button(OPEN_FORM_ACTION, "Öppna formuläret", value, ButtonStyle.PRIMARY)


def triage_buttons_id(case_id: int) -> str:
    return f"case:{case_id}"


def triage_buttons(case_id: int, status: str, confidential: bool) -> tuple[Button, ...]:
    """Take, assign, answer and close while open; reopen when closed; the confidentiality mark; show."""
    if status == "closed":
        buttons = [Button("case_reopen", "Återöppna", str(case_id))]
    else:
        buttons = []
        if status == "new":
            buttons.append(Button("case_take", "Ta ärendet", str(case_id), ButtonStyle.PRIMARY))
        buttons += [
            Button("case_assign", "Tilldela", str(case_id)),
            Button("case_answer", "Svara", str(case_id)),
            Button("case_close", "Stäng", str(case_id)),
        ]
    # The value says which way the button sets the mark (see handlers/slack/case_triage.py).
    label, wanted = ("Ta bort sekretess", "off") if confidential else ("Sekretess", "on")
    buttons.append(Button("case_confidential", label, f"{case_id}:{wanted}"))
    if confidential:
        buttons.append(Button("case_show", "Visa", str(case_id)))
    return tuple(buttons)
