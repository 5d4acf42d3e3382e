"""Signed but malformed requests, generated from the listeners the app registers: every command, action id,
callback id and event type, each with its fields missing, mistyped and oversized, and our own metadata and
button values broken. Each gets a 2xx or 4xx, one log line without a traceback, and has no effect.

The base request of each listener is well-formed but refers to nothing (an unknown round, department and case),
sent by a configured person: if a variant slipped past the checks, the listener would call Slack (views.open,
views.publish) or fail with a traceback, and the test would see it.
"""

import copy
import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlencode

import pytest

from handlers.slack.registry import Registration
from messages.board_form import EDIT_ACTION, EDIT_ACTIONS
from messages.board_task_form import REPORT_ACTION, REPORT_ACTIONS
from tests import slack_edge_support
from tests.slack_edge_support import Edge, row_counts

edge = slack_edge_support.edge
DIRECTOR = "U0VMKF0001"  # a configured person: identifying him calls nobody
OVERSIZED = "x" * 100_001
MISTYPED = 12345
MISSING = object()
FORM = "application/x-www-form-urlencoded"
POLITE = "Samverkan kunde inte läsa din begäran"
# Our own values, broken the ways they can be: not JSON, JSON of another type, an object without our keys.
BROKEN_OURS = [
    "not json {",
    "[]",
    "null",
    '"text"',
    "{}",
    '{"round": 1, "department": [], "page": "0", "case_id": "1"}',
]
METADATA = json.dumps({"round": "no-such-round", "department": "no-such-department", "page": 0, "pages": 1,
                       "case_id": 999999, "source_link": None, "decision": 999999,
                       "meeting": "no-such-meeting"})  # fmt: skip
BUTTON_VALUE = json.dumps({"round": "no-such-round", "department": "no-such-department", "decision": 999999,
                           "meeting": "no-such-meeting"})  # fmt: skip
# A listener registered for a pattern of action ids, and an id it takes.
PATTERN_EXAMPLES = {REPORT_ACTIONS: f"{REPORT_ACTION}:999999", EDIT_ACTIONS: f"{EDIT_ACTION}:999999"}


@dataclass(frozen=True)
class Request:
    """A body to post: `form` (a command's fields), `payload` (an interaction) or `json` (an event)."""

    encoding: str
    body: dict


@dataclass(frozen=True)
class Case:
    name: str
    kind: str  # the kind of request it was made from
    request: Request


def base_requests(registration: Registration, response_url: str) -> list[Request]:
    """A well-formed request for this listener (both kinds of shortcut for a shortcut)."""
    kind, name = registration.kind, PATTERN_EXAMPLES.get(registration.constraint, registration.constraint)
    assert isinstance(name, str), f"a test base for {registration} is needed"
    user = {"id": DIRECTOR, "team_id": "TFAKE"}
    if kind == "command":
        return [Request("form", {"command": name, "text": "", "user_id": DIRECTOR, "team_id": "TFAKE",
                                 "channel_id": "C0GENERAL1", "trigger_id": "trigger-1",
                                 "response_url": response_url})]  # fmt: skip
    if kind == "action":
        action = {"type": "button", "action_id": name, "block_id": "b1", "value": BUTTON_VALUE, "action_ts": "1"}
        return [Request("payload", {"type": "block_actions", "user": user, "trigger_id": "trigger-1",
                                    "response_url": response_url, "container": {"type": "message"},
                                    "channel": {"id": "C0GENERAL1"}, "actions": [action]})]  # fmt: skip
    if kind == "view":
        option = {"text": {"type": "plain_text", "text": "x"}, "value": "no-such-round|no-such-department"}
        view = {
            "id": "V0001",
            "type": "modal",
            "callback_id": name,
            "private_metadata": METADATA,
            "blocks": [{"type": "input", "block_id": "choice"}],
            "state": {"values": {"choice": {"choice": {"type": "static_select", "selected_option": option}}}},
        }
        return [Request("payload", {"type": "view_submission", "user": user, "trigger_id": "trigger-1",
                                    "view": view, "response_urls": []})]  # fmt: skip
    if kind == "shortcut":
        common = {"callback_id": name, "trigger_id": "trigger-1", "user": user}
        message = {"type": "message_action", **common, "response_url": response_url,
                   "channel": {"id": "C0GENERAL1"}, "message": {"ts": "1800000000.000100", "text": "Hej"}}  # fmt: skip
        return [Request("payload", {"type": "shortcut", **common}), Request("payload", message)]
    if kind == "event":
        event = {"type": name, "user": DIRECTOR, "channel": "D0VMKF0001", "tab": "home"}
        return [Request("json", {"type": "event_callback", "event_id": "Ev0001", "team_id": "TFAKE", "event": event})]
    raise AssertionError(f"no test base for a {kind} listener")


# The fields Slack always sends (missing, mistyped and oversized each make the request malformed) and the ones it
# may leave out (only mistyped and oversized), per kind of request; "*" stands for the only block or element.
REQUIRED = {
    "command": ["command", "user_id", "channel_id", "team_id", "trigger_id", "response_url", "text"],
    "block_actions": ["user", "user.id", "trigger_id", "actions", "actions.0", "actions.0.action_id"],
    "view_submission": [
        "user",
        "user.id",
        "view",
        "view.id",
        "view.type",
        "view.callback_id",
        "view.state",
        "view.state.values",
        "view.state.values.*",
        "view.state.values.*.*",
    ],  # fmt: skip
    "shortcut": ["user", "user.id", "callback_id", "trigger_id"],
    "message_action": [
        "user",
        "user.id",
        "callback_id",
        "trigger_id",
        "response_url",
        "channel",
        "channel.id",
        "message",
        "message.ts",
    ],  # fmt: skip
    "event_callback": ["event_id", "event", "event.type", "event.user", "event.tab"],
}
OPTIONAL = {
    "command": [],
    "block_actions": ["response_url", "actions.0.block_id", "actions.0.type"],
    "view_submission": [
        "view.blocks",
        "view.blocks.0",
        "response_urls",
        "view.state.values.*.*.selected_option",
        "view.state.values.*.*.selected_option.value",
    ],  # fmt: skip
    "shortcut": [],
    "message_action": ["message.text"],
    "event_callback": [],
}
# Where our own values come back, broken every way in BROKEN_OURS as well as mistyped and oversized.
OURS = {"block_actions": ["actions.0.value"], "view_submission": ["view.private_metadata"]}


def request_kind(request: Request) -> str:
    return "command" if request.encoding == "form" else request.body["type"]


def resolve(body: dict, path: str) -> tuple[dict | list, str | int]:
    """The container holding `path`'s last step, and that step."""
    steps = path.split(".")
    node: dict | list = body
    for step in steps[:-1]:
        node = node[int(step)] if isinstance(node, list) else node[_key(node, step)]
    return node, int(steps[-1]) if isinstance(node, list) else _key(node, steps[-1])


def _key(node: dict, step: str) -> str:
    return next(iter(node)) if step == "*" else step


def variant(request: Request, path: str, value: object) -> Request:
    """`request` with `path` set to `value` (removed for MISSING); a mistyped command field goes as JSON."""
    body = copy.deepcopy(request.body)
    node, step = resolve(body, path)
    if value is MISSING:
        del node[step]
    else:
        node[step] = value
    encoding = "json" if request.encoding == "form" and not isinstance(value, str) and value is not MISSING else None
    return Request(encoding or request.encoding, body)


def bases(registrations: list[Registration], response_url: str) -> Iterator[tuple[str, Request, list[Case]]]:
    """Each listener's base requests, each with its malformed variants."""
    for registration in registrations:
        for base in base_requests(registration, response_url):
            kind = request_kind(base)
            yield f"{kind} {registration.constraint}", base, list(variants(kind, base))


def variants(kind: str, base: Request) -> Iterator[Case]:
    def text_at(path: str) -> bool:
        node, step = resolve(base.body, path)
        return isinstance(node[step], str)

    for path in REQUIRED[kind]:
        yield Case(f"{path} missing", kind, variant(base, path, MISSING))
        if text_at(path) and path != "text":
            yield Case(f"{path} empty", kind, variant(base, path, ""))
    for path in REQUIRED[kind] + OPTIONAL[kind] + OURS.get(kind, []):
        yield Case(f"{path} mistyped", kind, variant(base, path, MISTYPED))
        if text_at(path):
            yield Case(f"{path} oversized", kind, variant(base, path, OVERSIZED))
    for path in OURS.get(kind, []):
        for broken in BROKEN_OURS:
            yield Case(f"{path} = {broken}", kind, variant(base, path, broken))


def post(edge: Edge, request: Request):
    if request.encoding == "form":
        return edge.requester.post(urlencode(request.body).encode(), FORM)
    if request.encoding == "payload":
        return edge.requester.post(urlencode({"payload": json.dumps(request.body)}).encode(), FORM)
    return edge.requester.post(json.dumps(request.body).encode(), "application/json")


def test_every_registered_listener_is_reached(edge):
    """The generated cases cover each kind of listener the app has (a new kind needs a test base)."""
    kinds = {registration.kind for registration in edge.app.registrations}
    assert kinds == {"command", "action", "view", "shortcut", "event"}
    names = {registration.constraint for registration in edge.app.registrations}
    assert {"followup_form", "followup_choose", "followup_open_form", "/uppfoljning", "app_home_opened"} <= names


@dataclass
class Outcome:
    status: int
    body: bytes
    calls: list[str]
    told: list[str]
    records: list[logging.LogRecord]


def outcome(edge: Edge, fake_slack, caplog, request: Request) -> Outcome:
    caplog.clear()
    fake_slack.reset()
    answer = post(edge, request)
    edge.requester.idle()
    calls = [call.method for call in fake_slack.calls if call.method != "auth.test"]  # Bolt's, once per app
    told = [response["text"] for response in fake_slack.responses]
    return Outcome(answer.status, answer.body, calls, told, list(caplog.records))


def test_malformed_requests_for_every_listener_are_refused_politely_and_change_nothing(
    edge, fake_slack, engine, caplog
):
    caplog.set_level(logging.DEBUG)
    failures, count = [], 0
    for label, base, cases in bases(edge.app.registrations, fake_slack.response_url):
        well_formed = outcome(edge, fake_slack, caplog, base)  # an event's id is recorded: a row of its own
        rows = row_counts(engine)
        for case in cases:
            count += 1
            problems = _problems(case, outcome(edge, fake_slack, caplog, case.request), well_formed)
            if row_counts(engine) != rows:
                problems.append("rows were written")
                rows = row_counts(engine)
            failures += [f"{label}: {case.name}: {'; '.join(problems)}"] if problems else []
    assert failures == [], "\n".join(failures)
    assert count > 400  # every listener, each with its fields


def _problems(case: Case, seen: Outcome, well_formed: Outcome) -> list[str]:
    """What is wrong with how a malformed variant was handled."""
    lines = [record for record in seen.records if record.levelno >= logging.WARNING]
    problems = []
    if not 200 <= seen.status < 500:
        problems.append(f"status {seen.status}")
    if seen.calls:
        problems.append(f"Slack called: {seen.calls}")
    if any(record.exc_info or record.levelno >= logging.ERROR for record in seen.records):
        problems.append("a traceback or an error was logged")
    if OVERSIZED in "".join(record.getMessage() for record in seen.records):
        problems.append("the oversized field was logged")
    if not lines and (seen.status, seen.body, seen.told) == (well_formed.status, well_formed.body, well_formed.told):
        # The listener does not read this field: the variant is handled exactly like the well-formed request.
        return problems if not well_formed.calls else [*problems, "a field the listener ignores"]
    if len(lines) != 1:
        problems.append(f"{len(lines)} log lines: {[record.getMessage()[:120] for record in lines]}")
    answer = json.loads(seen.body) if seen.body.startswith(b"{") else {}
    polite = seen.told and all(text.startswith(POLITE) for text in seen.told)
    if seen.status == 404:  # the variant reached no listener (its action id or callback id is gone)
        if not lines or not lines[0].getMessage().startswith("no listener for a Slack request"):
            problems.append("a 404 without its log line")
    elif case.kind == "command":  # in the ack, or (no longer a command at all) by the response_url
        if not answer.get("text", "").startswith(POLITE) and not polite:
            problems.append(f"a command not answered politely: {seen.status} {seen.body[:200]!r}")
    elif case.kind == "view_submission":
        if answer.get("response_action") not in ("errors", "clear"):
            problems.append(f"a form not answered with errors or clear: {seen.status} {seen.body[:200]!r}")
        if answer.get("response_action") == "errors" and not all(
            text.startswith(POLITE) for text in answer["errors"].values()
        ):
            problems.append(f"a form answered with {answer['errors']}")
    elif seen.told and not polite:
        problems.append(f"answered with {seen.told}")
    return problems


# Bodies that are not what Slack sends at all, whichever listener they were meant for.
UNREADABLE = {
    "JSON that is not JSON": (b'{"type": "event_callback", "event": ', "application/json"),
    "payload with broken JSON": (b"payload=%7B%22type%22%3A", FORM),
    "payload that is a list": (urlencode({"payload": "[1, 2]"}).encode(), FORM),
    "JSON that is a list": (b"[1, 2]", "application/json"),
    "JSON that is a string": (b'"block_actions"', "application/json"),
    "not UTF-8": (b'{"type": "\xff\xfe"}', "application/json"),
    "empty body": (b"", FORM),
    "an unknown type": (json.dumps({"type": "no_such_type"}).encode(), "application/json"),
    "event as a string": (
        json.dumps({"type": "event_callback", "event_id": "Ev1", "event": "x"}).encode(),
        "application/json",
    ),  # fmt: skip
    "user as a number": (urlencode({"payload": json.dumps({"type": "block_actions", "user": 5})}).encode(), FORM),
    "team as a number": (urlencode({"payload": json.dumps({"type": "shortcut", "team": 5})}).encode(), FORM),
    "actions: [{}]": (
        urlencode(
            {
                "payload": json.dumps(
                    {"type": "block_actions", "user": {"id": DIRECTOR}, "trigger_id": "t", "actions": [{}]}
                )
            }
        ).encode(),
        FORM,
    ),  # fmt: skip
    "JSON nested deeper than Python parses": (b"[" * 100_000 + b"]" * 100_000, "application/json"),
    "payload nested deeper than Python parses": (
        b"payload=" + b"%5B" * 100_000 + b"%5D" * 100_000,
        FORM,
    ),  # fmt: skip
    "url_verification without challenge": (json.dumps({"type": "url_verification"}).encode(), "application/json"),
    "url_verification with a numeric challenge": (
        json.dumps({"type": "url_verification", "challenge": 1}).encode(),
        "application/json",
    ),  # fmt: skip
}


@pytest.mark.parametrize("name", list(UNREADABLE))
def test_a_signed_body_slack_never_sends_gets_4xx_and_one_line(edge, fake_slack, engine, caplog, name):
    caplog.set_level(logging.DEBUG)
    rows = row_counts(engine)
    body, content_type = UNREADABLE[name]
    answer = edge.requester.post(body, content_type)
    edge.requester.idle()
    assert 400 <= answer.status < 500
    assert fake_slack.calls == [] and fake_slack.responses == []
    assert row_counts(engine) == rows
    assert not any(record.exc_info or record.levelno >= logging.ERROR for record in caplog.records)
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert line.getMessage().startswith("malformed Slack request")


def test_a_view_without_type_is_closed_with_one_line(edge, fake_slack, caplog):
    payload = {"type": "view_submission", "user": {"id": DIRECTOR},
               "view": {"id": "V1", "callback_id": "followup_form", "state": {"values": {}}}}  # fmt: skip
    answer = edge.requester.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)
    assert (answer.status, answer.json()) == (200, {"response_action": "clear"})
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert line.getMessage() == "malformed Slack request (view_submission followup_form): view.type is not a string"
    assert fake_slack.calls == []


def test_slacks_ssl_check_is_still_answered(edge, fake_slack):
    answer = edge.requester.post(urlencode({"ssl_check": "1", "token": "legacy"}).encode(), FORM)
    assert answer.status == 200
    assert fake_slack.calls == []


def test_a_request_for_no_listener_gets_404_and_one_line(edge, fake_slack, caplog):
    payload = {"type": "block_actions", "user": {"id": DIRECTOR}, "trigger_id": "t",
               "actions": [{"action_id": "no_such_action", "value": "x"}]}  # fmt: skip
    answer = edge.requester.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)
    assert answer.status == 404
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert line.getMessage() == "no listener for a Slack request (block_actions no_such_action)"


def test_a_bug_in_a_listener_logs_its_traceback_and_apologises_without_a_500(edge, fake_slack, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("handlers.slack.followup.open_form", broken)
    action = {"type": "button", "action_id": "followup_open_form", "block_id": "b1", "value": BUTTON_VALUE}
    payload = {"type": "block_actions", "user": {"id": DIRECTOR}, "trigger_id": "t",
               "response_url": fake_slack.response_url, "actions": [action]}  # fmt: skip
    answer = edge.requester.post(urlencode({"payload": json.dumps(payload)}).encode(), FORM)
    edge.requester.idle()
    assert answer.status == 200
    [apology] = fake_slack.responses
    assert apology["text"].startswith("Något gick fel hos Samverkan")
    [error] = [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert error.exc_info and "followup_open_form" in error.getMessage()


def test_a_bug_in_a_form_keeps_the_form_open_with_the_apology(edge, caplog, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("handlers.slack.followup._submit", broken)
    [request] = base_requests(Registration("view", "followup_form"), "http://127.0.0.1:9/response")
    answer = post(edge, request)
    assert answer.status == 200
    assert answer.json()["response_action"] == "errors"
    assert answer.json()["errors"]["choice"].startswith("Något gick fel hos Samverkan")
    assert any(record.exc_info for record in caplog.records)


def test_an_event_no_listener_wants_is_acknowledged_so_slack_does_not_retry_it(edge, fake_slack, caplog):
    body = {"type": "event_callback", "event_id": "Ev0NOBODY", "team_id": "T1",
            "event": {"type": "reaction_added", "user": DIRECTOR}}  # fmt: skip
    answer = edge.requester.post(json.dumps(body).encode(), "application/json")
    assert answer.status == 200
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert line.getMessage().startswith("no listener for a Slack request")
    assert {call.method for call in fake_slack.calls} <= {"auth.test"}  # Bolt's authorisation, nothing else


def test_slacks_app_rate_limited_notice_is_acknowledged_and_logged(edge, fake_slack, caplog):
    body = {"token": "legacy", "type": "app_rate_limited", "team_id": "T1", "minute_rate_limited": 1518467820,
            "api_app_id": "A1"}  # fmt: skip
    answer = edge.requester.post(json.dumps(body).encode(), "application/json")
    assert answer.status == 200
    [line] = [record for record in caplog.records if record.levelno >= logging.WARNING]
    assert "app_rate_limited" in line.getMessage()
    assert {call.method for call in fake_slack.calls} <= {"auth.test"}  # Bolt's authorisation, nothing else
