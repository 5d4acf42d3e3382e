"""Block Kit for follow-up: the form (in pages of at most 100 blocks), the chooser and notices."""

import json
from typing import Any

from messages.followup_labels import STATUS_LABELS, UNIT_LABELS, format_number, input_number
from messages.mrkdwn import escape
from messages.swedish import date_long, plural, time_of_day
from messages.text_limits import FOLLOWUP_TEXT

FORM_CALLBACK = "followup_form"
CHOOSER_CALLBACK = "followup_choose"
OPEN_FORM_ACTION = "followup_open_form"
MODAL_BLOCK_LIMIT = 100
SELECT_LIMIT = 100  # options in one static_select
BLOCKS_PER_INDICATOR = 6
HEADER_BLOCKS = 1
PAGE_SIZE = (MODAL_BLOCK_LIMIT - HEADER_BLOCKS) // BLOCKS_PER_INDICATOR
FIELDS = ("status", "value", "comment", "actions")


def _plain(text: str, limit: int = 75) -> dict[str, Any]:
    return {"type": "plain_text", "text": text if len(text) <= limit else text[: limit - 1] + "…", "emoji": True}


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text[:3000]}}


def block_id(indicator_id: str, field: str) -> str:
    return f"{indicator_id}|{field}"


def notice_view(text: str, title: str = "Uppföljning") -> dict[str, Any]:
    """A modal that only says something (loading, refusals, confirmations)."""
    return {
        "type": "modal",
        "title": _plain(title, 24),
        "close": _plain("Stäng"),
        "blocks": [_section(text)],
    }


def chooser_view(choices: list[tuple[Any, Any]]) -> dict[str, Any]:
    """Ask which round and department to answer for, when there are several (a select holds at most 100)."""
    options = [
        {"text": _plain(f"{department.name} – {round_.name}"), "value": f"{round_.id}|{department.id}"}
        for round_, department in choices
    ]
    blocks: list[dict[str, Any]] = [
        {
            "type": "input",
            "block_id": "choice",
            "label": _plain("Vilken avdelning och uppföljning vill du svara för?"),
            "element": {"type": "static_select", "action_id": "choice", "options": options[:SELECT_LIMIT]},
        }
    ]
    if len(options) > SELECT_LIMIT:
        left_out = len(options) - SELECT_LIMIT
        blocks.append(
            _section(
                f"{plural(left_out, 'val', 'val')} till ryms inte i listan. "
                "Öppna dem med knappen i uppföljningens meddelande till dig."
            )
        )
    return {
        "type": "modal",
        "callback_id": CHOOSER_CALLBACK,
        "title": _plain("Uppföljning", 24),
        "submit": _plain("Öppna"),
        "close": _plain("Avbryt"),
        "blocks": blocks,
    }


def page_count(items: list[Any]) -> int:
    return max(1, -(-len(items) // PAGE_SIZE))


def _status_option(status: str) -> dict[str, Any]:
    return {"text": _plain(STATUS_LABELS[status]), "value": status}


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


def _text_input(
    indicator_id: str, field: str, label: str, initial: str | None, multiline: bool, optional: bool, hint: str = ""
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": field,
        "multiline": multiline,
        "max_length": FOLLOWUP_TEXT,  # what bot/followup/validation.py accepts
    }
    if initial:
        element["initial_value"] = initial
    block: dict[str, Any] = {
        "type": "input",
        "block_id": block_id(indicator_id, field),
        "optional": optional,
        "label": _plain(label, 2000),
        "element": element,
    }
    if hint:
        block["hint"] = _plain(hint, 2000)
    return block


def _indicator_blocks(item: Any, previous_round: Any) -> list[dict[str, Any]]:
    indicator = item.indicator
    prefill = item.current or item.previous
    lines = [f"*{escape(indicator.name)}*", f"_{escape(item.goal.name)}_"]
    facts = []
    if indicator.target is not None:
        facts.append(f"Målvärde: {escape(str(indicator.target))}")
    if previous_round is not None:
        if item.previous is not None:
            last = f"{escape(_value_text(item.previous))} ({STATUS_LABELS[item.previous.status].lower()})"
        else:
            last = "inget svar"
        facts.append(f"{escape(previous_round.name)}: {last}")
    if facts:
        lines.append(" · ".join(facts))
    status: dict[str, Any] = {
        "type": "static_select",
        "action_id": "status",
        "options": [_status_option(code) for code in STATUS_LABELS],
    }
    if prefill is not None:
        status["initial_option"] = _status_option(prefill.status)
    return [
        _section("\n".join(lines)),
        {"type": "input", "block_id": block_id(indicator.id, "status"), "label": _plain("Status"), "element": status},
        _text_input(
            indicator.id, "value", f"Värde ({UNIT_LABELS[indicator.unit]})", _value_input(prefill), False, False
        ),
        _text_input(indicator.id, "comment", "Kommentar", prefill.comment if prefill else None, True, True),
        _text_input(
            indicator.id,
            "actions",
            "Planerade åtgärder",
            prefill.actions if prefill else None,
            True,
            True,
            "Krävs när status är Ej uppfyllt eller Befaras ej uppnås.",
        ),
        {"type": "divider"},
    ]


def form_view(data: Any, page: int) -> dict[str, Any]:
    """Page `page` (0-based) of a department's form for a round."""
    pages = page_count(data.items)
    items = data.items[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    header = (
        f"*{escape(data.round.name)}* – {escape(data.department.name)}\n"
        f"Svara senast {date_long(data.times.deadline)}. Du kan ändra svaren tills uppföljningen stänger "
        f"{date_long(data.times.closes_at)} kl. {time_of_day(data.times.closes_at)}."
    )
    if pages > 1:
        header += f"\nSida {page + 1} av {pages}."
    blocks = [_section(header)]
    for item in items:
        blocks.extend(_indicator_blocks(item, data.previous_round))
    last = page + 1 >= pages
    return {
        "type": "modal",
        "callback_id": FORM_CALLBACK,
        "title": _plain("Uppföljning", 24),
        "submit": _plain("Spara" if last else "Spara och fortsätt", 24),
        "close": _plain("Avbryt"),
        "private_metadata": json.dumps(
            {"round": data.round.id, "department": data.department.id, "page": page, "pages": pages}
        ),
        "blocks": blocks,
    }
