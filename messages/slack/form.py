"""A neutral form as a Slack modal view, its errors as `response_action: errors`, and a submitted view read back.

Slack's limits for modals live here: 100 blocks a view (a paged form is split into pages of whole sections),
24 characters for the title and the buttons, 2,000 for an input's label and hint, 75 for an option's text,
150 for a placeholder, 100 options a select (the rest are named in a line under it), 3,000 characters a section.
A field's id is its block id; its action id is the part after the last '|', or what the form kind names below.
"""

import json
from dataclasses import replace
from typing import Any

from messages.chunks import cut
from messages.form import (
    ChoiceField,
    Divider,
    Field,
    FieldErrors,
    FieldValue,
    Form,
    FormValues,
    Option,
    Part,
    Text,
    TextField,
    Toggle,
)
from messages.mrkdwn import Mrkdwn
from messages.render import render
from messages.slack.blocks import text_blocks
from messages.slack.limits import SECTION_LIMIT, Block

MODAL_BLOCK_LIMIT = 100
TITLE_LIMIT = 24  # the title and the submit and close buttons
LABEL_LIMIT = 2000  # an input's label and hint
OPTION_LIMIT = 75  # an option's text and an option group's label
PLACEHOLDER_LIMIT = 150
SELECT_LIMIT = 100  # options in one static_select
# The case forms name every input's action "value" (a view opened before a release must still submit).
FORM_ACTION_IDS = {"case_report": "value", "case_assign": "value", "case_answer": "value", "case_close": "value"}


def plain(text: str, limit: int) -> dict[str, Any]:
    """A plain_text object, cut with an ellipsis at `limit` characters."""
    return {"type": "plain_text", "text": cut(text, limit), "emoji": True}


def _option(option: Option) -> dict[str, Any]:
    return {"text": plain(option.label, OPTION_LIMIT), "value": option.value}


def _action_id(form: Form, field_id: str) -> str:
    """The action id of a field's element in the modal of `form`."""
    return FORM_ACTION_IDS.get(form.kind or "") or field_id.rpartition("|")[2]


def _text_element(field: TextField) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "multiline": field.multiline}
    if field.max_length is not None:
        element["max_length"] = field.max_length
    if field.placeholder:
        element["placeholder"] = plain(field.placeholder, PLACEHOLDER_LIMIT)
    initial = field.initial[: field.max_length] if field.max_length is not None else field.initial
    if initial:
        element["initial_value"] = initial
    return element


def _choice_element(field: ChoiceField) -> dict[str, Any]:
    options = field.options[:SELECT_LIMIT]
    element: dict[str, Any] = {"type": "multi_static_select" if field.multiple else "static_select"}
    if field.placeholder:
        element["placeholder"] = plain(field.placeholder, PLACEHOLDER_LIMIT)
    if any(option.group for option in options):
        groups: dict[str, list[dict[str, Any]]] = {}
        for option in options:
            groups.setdefault(option.group or "", []).append(_option(option))
        element["option_groups"] = [
            {"label": plain(label, OPTION_LIMIT), "options": grouped} for label, grouped in groups.items()
        ]
    else:
        element["options"] = [_option(option) for option in options]
    chosen = [_option(option) for option in options if option.value in field.initial]
    if chosen and field.multiple:
        element["initial_options"] = chosen
    elif chosen:
        element["initial_option"] = chosen[0]
    return element


def _toggle_element(field: Toggle) -> dict[str, Any]:
    box = _option(Option(field.id, field.title))
    element: dict[str, Any] = {"type": "checkboxes", "options": [box]}
    if field.initial:
        element["initial_options"] = [box]
    return element


def _input(form: Form, field: Field) -> list[Block]:
    if isinstance(field, TextField):
        element = _text_element(field)
    elif isinstance(field, ChoiceField):
        element = _choice_element(field)
    else:
        element = _toggle_element(field)
    block: Block = {
        "type": "input",
        "block_id": field.id,
        "label": plain(field.label, LABEL_LIMIT),
        "optional": field.optional,
        "element": {**element, "action_id": _action_id(form, field.id)},
    }
    if field.hint:
        block["hint"] = plain(field.hint, LABEL_LIMIT)
    blocks = [block]
    if isinstance(field, ChoiceField) and len(field.options) > SELECT_LIMIT:
        left_out = len(field.options) - SELECT_LIMIT
        note = render("form_options_left_out", left_out=left_out, advice=Mrkdwn(field.overflow))
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": note}})
    return blocks


def _blocks(form: Form, part: Part) -> list[Block]:
    if isinstance(part, Text) and part.subtle:
        return [{"type": "context", "elements": [{"type": "mrkdwn", "text": part.markup[:SECTION_LIMIT]}]}]
    if isinstance(part, Text):
        return text_blocks(part.markup)
    if isinstance(part, Divider):
        return [{"type": "divider"}]
    return _input(form, part)


def _render(form: Form, parts: tuple[Part, ...]) -> list[Block]:
    return [block for part in parts for block in _blocks(form, part)]


def pages(form: Form) -> list[tuple[Part, ...]]:
    """The sections of a paged form shown on each page: as many whole sections as fit beside the form's parts."""
    if form.paging is None:
        return [()]
    room = MODAL_BLOCK_LIMIT - len(_render(form, _with_page_note(form.parts, 0, 2)))
    split: list[tuple[Part, ...]] = []
    page: tuple[Part, ...] = ()
    for section in form.paging.sections:
        if page and len(_render(form, page + section)) > room:
            split.append(page)
            page = ()
        page += section
    return [*split, page]


def _with_page_note(parts: tuple[Part, ...], page: int, count: int) -> tuple[Part, ...]:
    """`parts` with 'Sida 2 av 3.' on a new line of their last text (or as a text of its own after them)."""
    note = render("form_page", page=page + 1, pages=count)
    texts = [index for index, part in enumerate(parts) if isinstance(part, Text)]
    if not texts:
        return (*parts, Text(note))
    last = texts[-1]
    text = parts[last]
    assert isinstance(text, Text)
    return (*parts[:last], replace(text, markup=f"{text.markup}\n{note}"), *parts[last + 1 :])


def modal(form: Form, page: int = 0) -> dict[str, Any]:
    """The modal view of `form`; of a paged form, page `page` (0-based), its metadata saying which page it is."""
    parts, metadata, submit = form.parts, dict(form.metadata), form.submit
    if form.paging is not None:
        split = pages(form)
        if len(split) > 1:
            parts = _with_page_note(parts, page, len(split))
        parts += split[page]
        metadata |= {"page": page, "pages": len(split)}
        if page + 1 < len(split):
            submit = form.paging.next_submit
    view: dict[str, Any] = {"type": "modal"}
    if form.kind:
        view["callback_id"] = form.kind
    view["title"] = plain(form.title, TITLE_LIMIT)
    if submit:
        view["submit"] = plain(submit, TITLE_LIMIT)
    view["close"] = plain(form.close, TITLE_LIMIT)
    if metadata:
        view["private_metadata"] = json.dumps(metadata)
    view["blocks"] = _render(form, parts)
    return view


def errors_response(errors: FieldErrors) -> dict[str, Any]:
    """The ack that shows a Swedish text under each field (field id -> text) and keeps what was typed."""
    return {"response_action": "errors", "errors": dict(errors)}


def _state_value(state: dict[str, Any]) -> FieldValue:
    """One element's state as the neutral value: checkboxes (our toggles) as a bool, a multiple select as a
    tuple, a select's option as its value, typed text as it is."""
    if state.get("type") == "checkboxes":
        return bool(state.get("selected_options"))
    if "selected_options" in state:
        return tuple(option["value"] for option in state.get("selected_options") or [])
    if "selected_option" in state:
        return (state.get("selected_option") or {}).get("value")
    value = state.get("value")
    return value if isinstance(value, str) else None


def read_view(view: dict[str, Any]) -> FormValues:
    """What a submitted view carried, by field id (the block id; each of our input blocks has one element)."""
    values: dict[str, FieldValue] = {}
    for field_id, elements in view["state"]["values"].items():
        for state in elements.values():
            values[field_id] = _state_value(state)
    return FormValues(values)
