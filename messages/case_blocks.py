"""Block Kit for a case's triage message: its text and the buttons that fit its status."""

from typing import Any

from messages.blocks import text_blocks


def _button(action_id: str, label: str, value: int | str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "action_id": action_id,
        "text": {"type": "plain_text", "text": label},
        "value": str(value),
    }
    if style:
        button["style"] = style
    return button


def triage_buttons(case_id: int, status: str, confidential: bool) -> dict[str, Any]:
    """The actions block: take, assign, answer and close while open; reopen when closed."""
    if status == "closed":
        elements = [_button("case_reopen", "Återöppna", case_id)]
    else:
        elements = []
        if status == "new":
            elements.append(_button("case_take", "Ta ärendet", case_id, "primary"))
        elements += [
            _button("case_assign", "Tilldela", case_id),
            _button("case_answer", "Svara", case_id),
            _button("case_close", "Stäng", case_id),
        ]
    # The value says which way the button sets the mark (see handlers/slack/case_triage.py).
    label, wanted = ("Ta bort sekretess", "off") if confidential else ("Sekretess", "on")
    elements.append(_button("case_confidential", label, f"{case_id}:{wanted}"))
    if confidential:
        elements.append(_button("case_show", "Visa", case_id))
    return {"type": "actions", "block_id": f"case:{case_id}", "elements": elements}


def triage_blocks(text: str, case_id: int, status: str, confidential: bool) -> list[dict[str, Any]]:
    return [*text_blocks(text), triage_buttons(case_id, status, confidential)]
