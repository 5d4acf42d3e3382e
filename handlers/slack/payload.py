"""Reading what our own listeners put into Slack (private_metadata, button values, form state) back out of a
signed request, and the one error for a request whose content is not what Slack or we would have sent."""

import json
from types import UnionType
from typing import Any

from messages.slack.form import read_view

# Slack's documented limits (Block Kit reference): what a genuine request cannot exceed.
ID_LIMIT = 255  # action_id, block_id, callback_id
BUTTON_VALUE_LIMIT = 2000
OPTION_VALUE_LIMIT = 150
PRIVATE_METADATA_LIMIT = 3000


class MalformedRequest(Exception):
    """A signed request that Slack would not send, or that carries back something we did not put in it.

    `what` says in a few words what is wrong (for the operator's one log line); it never quotes the body."""

    def __init__(self, what: str):
        super().__init__(what)
        self.what = what


def our_json(text: object, schema: dict[str, type | UnionType], what: str) -> dict[str, Any]:
    """A JSON object we wrote into a view or a button, each key of `schema` of that type (`str | None`: may be
    absent)."""
    if not isinstance(text, str):
        raise MalformedRequest(f"{what} is not a string")
    try:
        data = json.loads(text)
    except ValueError:
        raise MalformedRequest(f"{what} is not JSON") from None
    if not isinstance(data, dict):
        raise MalformedRequest(f"{what} is not a JSON object")
    for key, kind in schema.items():
        value = data.get(key)
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise MalformedRequest(f"{what} has no {key!r} of type {kind}")
    return data


def view_metadata(view: dict, schema: dict[str, type | UnionType]) -> dict[str, Any]:
    """The private_metadata of one of our views, checked against `schema`."""
    return our_json(view.get("private_metadata"), schema, f"private_metadata of {view.get('callback_id')}")


def selected_value(view: dict, field_id: str) -> str:
    """The value of the option chosen in a select of one of our views (Slack always sends one: it is required)."""
    chosen = read_view(view).value(field_id)
    if not chosen:
        raise MalformedRequest(f"no option chosen in {field_id} of {view.get('callback_id')}")
    return chosen
