"""The one key a Slack request is known by, so that a replay or a double-click of it has one effect.

- view_submission: the view id and a hash of the submitted values (the same view submitted twice with the same
  values is one submission; corrected values after a field error are a new one);
- block_actions: where the action sits (message or view), its action_id, value and action_ts;
- slash command: its trigger_id (unique per invocation), command, text and user.

Only a SHA-256 digest of this is stored (storage/requests.py). Every field is read with defaults, so a
byte-identical body always gives the same key, whatever shape it has.
"""

import hashlib
import json


def _digest(material: str) -> str:
    return hashlib.sha256(material.encode()).hexdigest()


def _canonical(value: object) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _dict(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def _view_material(body: dict) -> str:
    # The format the follow-up form used for its keys before they moved here: rows carried over by the
    # migration 0004 (as digests of this text) still match.
    view = _dict(body.get("view"))
    values = _canonical(_dict(view.get("state")).get("values"))
    return f"{view.get('id')}:{hashlib.sha256(values.encode()).hexdigest()[:40]}"


def _action_material(body: dict) -> str:
    container = _dict(body.get("container"))
    actions = body.get("actions") if isinstance(body.get("actions"), list) else []
    action = _dict(actions[0]) if actions else {}
    where = [container.get("channel_id"), container.get("message_ts"), container.get("view_id")]
    value = action.get("value", action.get("selected_option"))
    return "block_actions:" + _canonical([where, action.get("action_id"), value, action.get("action_ts")])


def _command_material(body: dict) -> str:
    fields = [body.get(name) for name in ("trigger_id", "command", "text", "user_id")]
    return "command:" + _canonical(fields)


def request_key(body: dict) -> str:
    """The digest that identifies this request; equal for byte-identical bodies."""
    kind = body.get("type")
    if kind == "view_submission":
        return _digest(_view_material(body))
    if kind == "block_actions":
        return _digest(_action_material(body))
    if "command" in body:
        return _digest(_command_material(body))
    return _digest("other:" + _canonical(body))
