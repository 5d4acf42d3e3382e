"""The shape of a signed request, checked once before Bolt reads it (bot/slack/app.py).

Per kind of request, the fields Slack always sends and the fields our listeners read must be there with Slack's
types and within Slack's documented limits; anything else is a MalformedRequest (answered politely by
handlers/slack/errors.py). What our own listeners put into views and buttons is checked where it is read
(handlers/slack/payload.py), since only the listener knows what it wrote.
"""

from collections.abc import Callable

from slack_bolt.request.internals import parse_body

from handlers.slack.payload import (
    BUTTON_VALUE_LIMIT,
    ID_LIMIT,
    OPTION_VALUE_LIMIT,
    PRIVATE_METADATA_LIMIT,
    MalformedRequest,
)

TEXT_LIMIT = 40_000  # Slack's limit on a message's text: nothing longer can be typed after a slash command
URL_LIMIT = 2_048
EVENT_ID_LIMIT = 100  # storage.state.ProcessedEvent.event_id
# The fields of each event type we listen to that our listeners read.
EVENT_FIELDS = {"app_home_opened": ("user", "tab")}
SELECTED_TEXTS = ("selected_date", "selected_time", "selected_user", "selected_channel", "selected_conversation")
SELECTED_LISTS = ("selected_users", "selected_channels", "selected_conversations")


def describe(body: dict) -> str:
    """The kind of request and the listener it is for, short enough for a log line (never user content)."""
    kind = "command" if "command" in body else body.get("type")
    name = body.get("command") or body.get("callback_id") or _listener_name(body)
    return f"{_short(kind)} {_short(name)}" if name else _short(kind)


def read_body(raw: bytes, content_type: str | None) -> dict:
    """The body as Bolt will parse it (with Bolt's own parser, so that both agree), which must be an object."""
    try:
        body = parse_body(raw.decode(), content_type)
    except UnicodeDecodeError:
        raise MalformedRequest("the body is not UTF-8") from None
    except ValueError:
        raise MalformedRequest("the body is not the JSON or form data it claims to be") from None
    except RecursionError:
        raise MalformedRequest("the body is nested deeper than any request Slack sends") from None
    if not isinstance(body, dict):
        raise MalformedRequest("the body is not a JSON object")
    return body


def check_request(body: dict) -> None:
    """Raise MalformedRequest unless `body` has the shape Slack gives this kind of request."""
    if body.get("ssl_check") == "1":  # Slack checking the certificate of a command's URL: Bolt answers it
        return
    if "command" in body:
        _command(body)
        return
    kind = body.get("type")
    check = CHECKS.get(kind) if isinstance(kind, str) else None
    if check is None:
        raise MalformedRequest("not a kind of request Slack sends to this app")
    check(body)


def _command(body: dict) -> None:
    for key in ("command", "user_id", "channel_id", "team_id", "trigger_id"):
        _text(body, key)
    _text(body, "text", limit=TEXT_LIMIT, empty=True)
    _text(body, "response_url", limit=URL_LIMIT)
    if not body["command"].startswith("/"):
        raise MalformedRequest("command does not start with /")


def _block_actions(body: dict) -> None:
    _user(body)
    _text(body, "trigger_id")
    _text(body, "response_url", limit=URL_LIMIT, required=False)
    actions = body.get("actions")
    if not isinstance(actions, list) or not actions:
        raise MalformedRequest("actions is not a non-empty list")
    for action in actions:
        if not isinstance(action, dict):
            raise MalformedRequest("an action is not an object")
        _text(action, "action_id", "action.")
        _text(action, "block_id", "action.", required=False)
        _text(action, "type", "action.", required=False)
        _text(action, "value", "action.", limit=BUTTON_VALUE_LIMIT, required=False, empty=True)
        _option(action.get("selected_option"), "action.selected_option")
    if body.get("view") is not None:
        _view(body, state_required=False)


def _view_submission(body: dict) -> None:
    _user(body)
    _view(body, state_required=True)
    urls = body.get("response_urls", [])
    if not isinstance(urls, list) or not all(isinstance(url, dict) for url in urls):
        raise MalformedRequest("response_urls is not a list of objects")
    for url in urls:
        _text(url, "response_url", "response_urls.", limit=URL_LIMIT)


def _view_closed(body: dict) -> None:
    _user(body)
    _view(body, state_required=False)


def _shortcut(body: dict) -> None:
    _user(body)
    _text(body, "callback_id")
    _text(body, "trigger_id")


def _message_action(body: dict) -> None:
    _shortcut(body)
    _text(body, "response_url", limit=URL_LIMIT)
    channel, message = _object(body, "channel"), _object(body, "message")
    _text(channel, "id", "channel.")
    _text(message, "ts", "message.")
    _text(message, "text", "message.", limit=TEXT_LIMIT, required=False, empty=True)


def _event_callback(body: dict) -> None:
    _text(body, "event_id", limit=EVENT_ID_LIMIT)
    event = _object(body, "event")
    _text(event, "type", "event.")
    for key in EVENT_FIELDS.get(event["type"], ()):
        _text(event, key, "event.")


def _url_verification(body: dict) -> None:
    _text(body, "challenge")


def _app_rate_limited(body: dict) -> None:
    """Slack's notice that it dropped this app's events for a minute (more than 30,000 an hour)."""
    _text(body, "team_id")


CHECKS: dict[str, Callable[[dict], None]] = {
    "block_actions": _block_actions,
    "view_submission": _view_submission,
    "view_closed": _view_closed,
    "shortcut": _shortcut,
    "message_action": _message_action,
    "event_callback": _event_callback,
    "url_verification": _url_verification,
    "app_rate_limited": _app_rate_limited,
}


def _view(body: dict, *, state_required: bool) -> None:
    view = _object(body, "view")
    for key in ("id", "type"):
        _text(view, key, "view.")
    _text(view, "callback_id", "view.", empty=True)
    _text(view, "private_metadata", "view.", limit=PRIVATE_METADATA_LIMIT, required=False, empty=True)
    blocks = view.get("blocks", [])
    if not isinstance(blocks, list) or not all(isinstance(block, dict) for block in blocks):
        raise MalformedRequest("view.blocks is not a list of objects")
    for block in blocks:
        _text(block, "type", "view.blocks.")
        _text(block, "block_id", "view.blocks.", required=False)
    if state_required or view.get("state") is not None:
        _state(_object(view, "state", "view."))


def _state(state: dict) -> None:
    values = _object(state, "values", "view.state.")
    for block_id, elements in values.items():
        if len(block_id) > ID_LIMIT or not isinstance(elements, dict):
            raise MalformedRequest("a block of view.state.values is not an object")
        for action_id, element in elements.items():
            if len(action_id) > ID_LIMIT or not isinstance(element, dict):
                raise MalformedRequest("an element of view.state.values is not an object")
            _element_state(element)


def _element_state(element: dict) -> None:
    where = "view.state element."
    _text(element, "type", where, required=False)
    # Typed text is bounded loosely here: each field's own limit is the service's, which answers on the field.
    _text(element, "value", where, limit=TEXT_LIMIT, required=False, empty=True)
    _option(element.get("selected_option"), where + "selected_option")
    options = element.get("selected_options", [])
    if not isinstance(options, list):
        raise MalformedRequest(where + "selected_options is not a list")
    for option in options:
        _option(option, where + "selected_options", required=True)
    for key in SELECTED_TEXTS:
        _text(element, key, where, required=False)
    for key in SELECTED_LISTS:
        chosen = element.get(key, [])
        if not isinstance(chosen, list) or not all(isinstance(item, str) and len(item) <= ID_LIMIT for item in chosen):
            raise MalformedRequest(f"{where}{key} is not a list of ids")


def _option(option: object, where: str, required: bool = False) -> None:
    if option is None and not required:
        return
    if not isinstance(option, dict):
        raise MalformedRequest(f"{where} is not an object")
    _text(option, "value", where + ".", limit=OPTION_VALUE_LIMIT, empty=True)


def _user(body: dict) -> None:
    _text(_object(body, "user"), "id", "user.")


def _object(data: dict, key: str, where: str = "") -> dict:
    value = data.get(key)
    if not isinstance(value, dict):
        raise MalformedRequest(f"{where}{key} is not an object")
    return value


def _text(
    data: dict, key: str, where: str = "", *, limit: int = ID_LIMIT, required: bool = True, empty: bool = False
) -> None:
    """data[key] is a string of at most `limit` characters; absent (or null) only if not required, and empty
    only if `empty`."""
    value = data.get(key)
    if value is None and not required:
        return
    if not isinstance(value, str):
        raise MalformedRequest(f"{where}{key} is not a string")
    if not value and not empty:
        raise MalformedRequest(f"{where}{key} is empty")
    if len(value) > limit:
        raise MalformedRequest(f"{where}{key} is longer than {limit} characters")


def _listener_name(body: dict) -> object:
    view, actions, event = body.get("view"), body.get("actions"), body.get("event")
    if isinstance(view, dict):
        return view.get("callback_id")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        return actions[0].get("action_id")
    if isinstance(event, dict):
        return event.get("type")
    return None


def _short(value: object) -> str:
    text = value if isinstance(value, str) else "?" if value is None else type(value).__name__
    return text if len(text) <= 40 else text[:40] + "…"
