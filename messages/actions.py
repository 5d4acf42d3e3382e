"""The buttons features put under their messages, as neutral Buttons (any platform renders them)."""

import json

from messages.case_labels import BUTTONS
from messages.followup_form import OPEN_FORM_ACTION
from messages.followup_labels import OPEN_FORM_BUTTON
from messages.labels import labels
from messages.message import Button, ButtonStyle

OPEN_FORM_BUTTONS_ID = "followup_open"
ACKNOWLEDGE_ACTION = "acknowledge"
ACKNOWLEDGE_BUTTONS_ID = "acknowledge"  # the buttons_id of a message whose buttons are the acknowledge button
_ACKNOWLEDGEMENT_BUTTONS = labels("acknowledgements.buttons")


def open_form_button(round_id: str, department_id: str) -> Button:
    """The button under an invitation or reminder DM that opens the follow-up form."""
    value = json.dumps({"round": round_id, "department": department_id})
    return Button(OPEN_FORM_ACTION, OPEN_FORM_BUTTON, value, ButtonStyle.PRIMARY)


def triage_buttons_id(case_id: int) -> str:
    return f"case:{case_id}"


def triage_buttons(case_id: int, *, closed: bool, new: bool, confidential: bool) -> tuple[Button, ...]:
    """Take (while `new`, nobody has it yet), assign, answer and close while open; reopen when closed; the
    confidentiality mark; show."""
    if closed:
        buttons = [Button("case_reopen", BUTTONS["reopen"], str(case_id))]
    else:
        buttons = []
        if new:
            buttons.append(Button("case_take", BUTTONS["take"], str(case_id), ButtonStyle.PRIMARY))
        # each opens its form for the clicker alone: a Slack modal, a Teams dialog
        buttons += [
            Button("case_assign", BUTTONS["assign"], str(case_id), opens_dialog=True),
            Button("case_answer", BUTTONS["answer"], str(case_id), opens_dialog=True),
            Button("case_close", BUTTONS["close"], str(case_id), opens_dialog=True),
        ]
    # The value says which way the button sets the mark (see handlers/slack/case_triage.py).
    label, wanted = (BUTTONS["confidential_off"], "off") if confidential else (BUTTONS["confidential_on"], "on")
    buttons.append(Button("case_confidential", label, f"{case_id}:{wanted}"))
    if confidential:
        buttons.append(Button("case_show", BUTTONS["show"], str(case_id)))
    return tuple(buttons)


def acknowledge_button(subject: str, audience: str) -> Button:
    """The button ("Kvitterat") under a board digest or a plan message that asks for an acknowledgement; its value
    names what is acknowledged and for whom (bot/acknowledgements/subjects.py)."""
    value = json.dumps({"subject": subject, "audience": audience})
    return Button(ACKNOWLEDGE_ACTION, _ACKNOWLEDGEMENT_BUTTONS["acknowledge"], value, ButtonStyle.PRIMARY)
