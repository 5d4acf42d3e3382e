"""The one key a Teams request is known by, so that a redelivery or a double-click of it has one effect (as for
Slack requests, handlers/slack/request_keys.py).

- a form's submission (card data carrying the form's "fields"): the card it came from (the activity's replyToId,
  or the "nonce" in the form's metadata for a dialog, which has none), the verb and a canonical hash of the data:
  the same card submitted twice with the same values is one submission, whatever the activity ids (a
  double-click sends two); corrected values after a field error are a new one;
- anything else (a button, a command): the activity's id (the same for a redelivered activity), with its type,
  name, replyToId, text and value, so that ids from different conversations do not meet.

Neither the conversation nor the user is in the key material: an anonymous report's stored key must not lead to
its reporter. Only a SHA-256 digest of this is stored (storage/requests.py).
"""

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity

NONCE = "nonce"  # the key in a dialog form's metadata that names that form's card


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _submitted(activity: Activity) -> tuple[str | None, Mapping[str, Any] | None]:
    """The verb and the data of a card's submission in `activity` (Action.Execute, Action.Submit, a message
    action's dialog (submitAction) or a dialog's task/submit); (None, None) for anything else."""
    value = activity.value if isinstance(activity.value, Mapping) else {}
    if activity.type == "invoke" and activity.name == "adaptiveCard/action":
        action = value.get("action") if isinstance(value.get("action"), Mapping) else {}
        data = action.get("data")
        return action.get("verb"), data if isinstance(data, Mapping) else None
    if activity.type == "invoke" and activity.name == "composeExtension/submitAction":
        data = value.get("data")
        return value.get("commandId"), data if isinstance(data, Mapping) else None
    if activity.type == "invoke" and activity.name == "task/submit":
        data = value.get("data")
        return (data.get("verb"), data) if isinstance(data, Mapping) else (None, None)
    if activity.type == "message" and value:
        return value.get("verb"), value
    return None, None


def _card_of(activity: Activity, data: Mapping[str, Any]) -> str | None:
    """The card a submission came from: the activity it replies to, or the nonce of a dialog's form."""
    if activity.reply_to_id:
        return "reply:" + activity.reply_to_id
    metadata = data.get("metadata")
    nonce = metadata.get(NONCE) if isinstance(metadata, Mapping) else None
    return f"nonce:{nonce}" if isinstance(nonce, str) and nonce else None


def request_key(activity: Activity) -> str:
    """The digest that identifies this request; equal for a redelivered activity and for the same submission."""
    verb, data = _submitted(activity)
    card = _card_of(activity, data) if data is not None and "fields" in data else None
    if data is not None and card is not None:
        values = hashlib.sha256(_canonical(data).encode()).hexdigest()
        material = "teams-form:" + _canonical([card, verb, values])
    elif activity.id:
        fields = [activity.id, activity.type, activity.name, activity.reply_to_id, activity.text, activity.value]
        material = "teams:" + _canonical(fields)
    else:
        material = "teams-other:" + activity.model_dump_json(by_alias=True, exclude_none=True)
    return hashlib.sha256(material.encode()).hexdigest()
