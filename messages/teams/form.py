"""A neutral form as an Adaptive Card 1.5 with inputs, and a submitted card's data read back as FormValues.

The submit button is an `Action.Execute` whose `verb` is the form's kind, with an `Action.Submit` fallback; its
`data` carries the form's metadata (as "metadata", with "page" and "pages" on a paged form, as Slack's
private_metadata does) and the page's field ids by kind (as "fields": {"text": "id,id", "toggle": "id", ...};
ids hold no comma), so that `read_submission` can read the values Teams
merges into the data exactly as Slack's `read_view` reads a view: text and a single choice as str or None, a
multiple choice as a tuple, a toggle as a bool, every field of the page present.

A card must stay under Teams' 28 KB, so a paged form is cut into pages of whole sections that fit; each page
but the last is submitted with the paging's `next_submit` label (the handler answers with the next page, as on
Slack), and each page but the first has a button back, which submits the page too (with "move": "previous";
`page_after` says which page to show next). A page is measured without errors or typed values: the card shown
again with them has the rest of the activity's 27,000 bytes (7 KB: a short comment on each indicator of a page,
and a few errors). Errors are shown in red under their fields, with a notice on top (and under it an error for a
field the card does not show), and the card shows what was typed.
"""

import json
from collections.abc import Mapping
from typing import Any

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
    fields_of,
)
from messages.labels import labels
from messages.mrkdwn import Mrkdwn
from messages.render import render
from messages.teams.card import Card, card, execute, heading_block, text_block, text_blocks
from messages.teams.markup import plain_markdown

CARD_BYTE_LIMIT = 20_000  # a page as first shown: the rest of the 27,000 bytes of an activity is for what is typed
# options listed in one Input.ChoiceSet, as on Slack (the rest are named in a line under it): a card must stay
# under 28 KB, and the same form lists the same options on both platforms
CHOICES_LIMIT = 100
RESERVED = ("verb", "metadata", "fields", "move")  # keys of the submit data that no field id may take
PREVIOUS = "previous"  # the "move" of a paged form's button back to the page before
TOGGLE_ON, TOGGLE_OFF = "true", "false"
_LABELS = labels("teams_cards")


class SubmissionError(ValueError):
    """Submitted card data that no card of ours sends (for the operator; the user sees a generic reply)."""


def _kind(field: Field) -> str:
    if isinstance(field, TextField):
        return "text"
    if isinstance(field, ChoiceField):
        return "choices" if field.multiple else "choice"
    return "toggle"


def _shown(field: Field, values: FormValues | None) -> str:
    """The value an input shows: what was typed when the card is shown again, else the field's initial value."""
    if values is not None and field.id in values.values:
        value = values.values[field.id]
        if isinstance(field, Toggle):
            return TOGGLE_ON if value is True else TOGGLE_OFF
        if isinstance(value, tuple):
            return ",".join(value)
        if not isinstance(value, str):
            return ""
        # Teams' input cannot hold more: only a forged request sends more, and showing it could pass 28 KB.
        return value[: field.max_length] if isinstance(field, TextField) and field.max_length is not None else value
    if isinstance(field, TextField):
        return field.initial[: field.max_length] if field.max_length is not None else field.initial
    if isinstance(field, ChoiceField):
        known = [option.value for option in field.options]
        chosen = [value for value in field.initial if value in known[:CHOICES_LIMIT]]
        return ",".join(chosen if field.multiple else chosen[:1])
    return TOGGLE_ON if field.initial else TOGGLE_OFF


def _choice(option: Option) -> Card:
    title = f"{option.group}: {option.label}" if option.group else option.label
    return {"title": title, "value": option.value}


def _input(field: Field, values: FormValues | None) -> Card:
    element: Card = {"id": field.id, "label": field.label}
    if isinstance(field, TextField):
        element = {"type": "Input.Text", **element, "isMultiline": field.multiline}
        if field.max_length is not None:
            element["maxLength"] = field.max_length
        if field.placeholder:
            element["placeholder"] = field.placeholder
    elif isinstance(field, ChoiceField):
        element = {
            "type": "Input.ChoiceSet",
            **element,
            "style": "compact",
            "isMultiSelect": field.multiple,
            "choices": [_choice(option) for option in field.options[:CHOICES_LIMIT]],
        }
        if field.placeholder:
            element["placeholder"] = field.placeholder
    else:
        element = {
            "type": "Input.Toggle",
            **element,
            "title": field.title,
            "valueOn": TOGGLE_ON,
            "valueOff": TOGGLE_OFF,
        }
    shown = _shown(field, values)
    if shown:
        element["value"] = shown
    if not field.optional and not isinstance(field, Toggle):
        element["isRequired"] = True
        element["errorMessage"] = _LABELS["required"]
    return element


def _field_blocks(field: Field, values: FormValues | None, errors: FieldErrors) -> list[Card]:
    """An input, its hint (subtle, under it) and its error (red, under it)."""
    blocks = [_input(field, values)]
    if field.hint:
        blocks.append(text_block(plain_markdown(field.hint), isSubtle=True, size="Small", spacing="None"))
    if field.id in errors:
        blocks.append(text_block(plain_markdown(errors[field.id]), color="Attention", spacing="None"))
    if isinstance(field, ChoiceField) and len(field.options) > CHOICES_LIMIT:
        left_out = len(field.options) - CHOICES_LIMIT
        blocks += text_blocks(render("form_options_left_out", left_out=left_out, advice=Mrkdwn(field.overflow)))
    return blocks


def _part_blocks(part: Part, values: FormValues | None, errors: FieldErrors) -> list[Card]:
    if isinstance(part, Text) and part.subtle:
        return [{**block, "isSubtle": True, "size": "Small"} for block in text_blocks(part.markup)]
    if isinstance(part, Text):
        return text_blocks(part.markup)
    if isinstance(part, Divider):
        return []
    return _field_blocks(part, values, errors)


def _body(parts: tuple[Part, ...], values: FormValues | None, errors: FieldErrors) -> list[Card]:
    """The parts as card elements; a Divider puts a separator on the element after it."""
    body: list[Card] = []
    separate = False
    for part in parts:
        if isinstance(part, Divider):
            separate = True
            continue
        blocks = _part_blocks(part, values, errors)
        if blocks and separate:
            blocks[0] = {**blocks[0], "separator": True}
            separate = False
        body += blocks
    return body


def _size(content: Card) -> int:
    return len(json.dumps(content, ensure_ascii=False).encode())


def pages(form: Form) -> list[tuple[Part, ...]]:
    """The sections shown on each page of a paged form: as many whole sections as fit one card beside the
    form's parts (every section at least on a page of its own)."""
    if form.paging is None:
        return [()]
    split: list[tuple[Part, ...]] = []
    page: tuple[Part, ...] = ()
    for section in form.paging.sections:
        # measured as a middle page (both buttons, the page line) of a form without errors
        if page and _size(_card(form, form.parts + page + section, None, {}, 1, 3)) > CARD_BYTE_LIMIT:
            split.append(page)
            page = ()
        page += section
    return [*split, page]


def _fields(parts: tuple[Part, ...]) -> dict[str, str]:
    """The ids of the fields among `parts`, comma-joined by kind (compact: the data is in the card four times)."""
    kinds: dict[str, list[str]] = {}
    for field in fields_of(parts):
        kinds.setdefault(_kind(field), []).append(field.id)
    return {kind: ",".join(ids) for kind, ids in kinds.items()}


def _card(
    form: Form, parts: tuple[Part, ...], values: FormValues | None, errors: FieldErrors, page: int, count: int
) -> Card:
    body = [heading_block(form.title)]
    if errors:
        body.append(text_block(plain_markdown(_LABELS["errors"]), color="Attention", weight="Bolder"))
        shown = {field.id for field in fields_of(parts)}
        body += [text_block(plain_markdown(text), color="Attention") for i, text in errors.items() if i not in shown]
    body += _body(parts, values, errors)
    if count > 1:
        body.append(text_block(plain_markdown(render("form_page", page=page + 1, pages=count)), isSubtle=True))
    if form.submit is None or form.kind is None:
        return card(body)
    metadata = dict(form.metadata) | ({"page": page, "pages": count} if form.paging is not None else {})
    submit = form.paging.next_submit if form.paging is not None and page + 1 < count else form.submit
    data = {"verb": form.kind, "metadata": metadata, "fields": _fields(parts)}
    actions = [execute(form.kind, submit, data, "positive")]
    if page > 0:
        actions.append(execute(form.kind, _LABELS["previous_page"], data | {"move": PREVIOUS}))
    return card(body, actions)


def form_card(
    form: Form, *, values: FormValues | None = None, errors: FieldErrors | None = None, page: int = 0
) -> Card:
    """The card of `form` (of a paged form, page `page`, 0-based), showing `values` as typed and `errors` (field
    id -> Swedish text) under their fields."""
    for field in fields_of(form.parts + tuple(p for s in (form.paging.sections if form.paging else ()) for p in s)):
        if field.id in RESERVED:
            raise ValueError(f"form {form.kind}: field id '{field.id}' is reserved in a card's submit data")
    parts, count = form.parts, 1
    if form.paging is not None:
        split = pages(form)
        if not 0 <= page < len(split):
            raise ValueError(f"form {form.kind} has {len(split)} pages, not a page {page}")
        parts, count = parts + split[page], len(split)
    return _card(form, parts, values, dict(errors or {}), page, count)


def _value(kind: object, raw: object) -> FieldValue:
    """One submitted input as the neutral value, as Slack's reader gives it."""
    text = raw.replace("\r\n", "\n") if isinstance(raw, str) else ""
    if kind == "toggle":
        return text == TOGGLE_ON
    if kind == "choices":
        return tuple(value for value in text.split(",") if value)
    if kind in ("text", "choice"):
        return text or None
    raise SubmissionError(f"a card's submit data names a field kind {kind!r}")


def read_submission(data: Mapping[str, Any]) -> tuple[str, FormValues]:
    """The form's kind (the verb) and the values of a submitted card, by field id: from an adaptiveCard/action
    invoke's `value.action.data` or an Action.Submit message's `value` (both carry the inputs beside our data)."""
    verb, fields = data.get("verb"), data.get("fields")
    if not isinstance(verb, str) or not verb:
        raise SubmissionError("a card's submit data has no verb")
    if not isinstance(fields, dict) or not all(isinstance(ids, str) for ids in fields.values()):
        raise SubmissionError(f"the submit data of {verb} has no fields")
    kinds = {field_id: kind for kind, ids in fields.items() for field_id in ids.split(",") if field_id}
    return verb, FormValues({field_id: _value(kind, data.get(field_id)) for field_id, kind in kinds.items()})


def page_after(data: Mapping[str, Any]) -> int:
    """The page of a paged form to show once the submitted page is saved: the next, or the one before when its
    "previous page" button was pressed (the handler saves what was typed either way, then shows this page or,
    past the last, its confirmation)."""
    page = submission_metadata(data).get("page")
    if not isinstance(page, int) or isinstance(page, bool):
        raise SubmissionError("the submit data of a paged form has no page")
    return page - 1 if data.get("move") == PREVIOUS else page + 1


def submission_metadata(data: Mapping[str, Any]) -> dict[str, Any]:
    """The form's metadata that came back with a submitted card (with 'page' and 'pages' on a paged form)."""
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise SubmissionError("a card's submit data has metadata that is not an object")
    return metadata
