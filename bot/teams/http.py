"""POST /api/messages: one Bot Framework activity, its token checked before anything else, run through the SDK.

A request without a valid token gets 401 and one log line without its body, and has no effect; with a token, an
activity from another tenant than TEAMS_TENANT_ID gets 403 likewise. A body that is no
JSON object or no activity gets 400 and one log line. Replies to `expectReplies` messages and invoke results come
back in the response body; other replies go out through the Bot Connector while the request is answered 202.
"""

import concurrent.futures
import dataclasses
import json
import logging
import threading
from collections.abc import Mapping
from http import HTTPStatus
from urllib.parse import urlsplit

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core.authorization import ClaimsIdentity
from microsoft_agents.hosting.core.http import HttpResponse
from microsoft_teams.api.models.channel_data import ChannelData
from pydantic import ValidationError

from bot.listener_work import held_until
from bot.runtime import Runtime
from bot.server import Endpoint, Response, read_request_body
from bot.teams.app import TeamsApp
from bot.teams.auth import Refusal

log = logging.getLogger(__name__)
TURN_TIMEOUT = 60.0  # seconds: far beyond any turn of ours; Teams itself gives up after 15


class _Request:
    """One request as the SDK's HttpRequestProtocol sees it: the JSON already read, the caller already known."""

    def __init__(self, headers: Mapping[str, str], body: dict[str, object], claims: ClaimsIdentity) -> None:
        self._headers = headers
        self._body = body
        self._claims = claims

    @property
    def method(self) -> str:
        return "POST"

    @property
    def headers(self) -> Mapping[str, str]:
        return self._headers

    async def json(self) -> dict[str, object]:
        return self._body

    def get_claims_identity(self) -> ClaimsIdentity:
        return self._claims

    def get_path_param(self, name: str) -> str:
        raise KeyError(name)  # /api/messages has no path parameters


def teams_endpoint(teams_app: TeamsApp, runtime: Runtime) -> Endpoint:
    """The handler of POST /api/messages: the whole request (token, body, turn) in one coroutine on the runtime's
    AsyncLoop, one hand-over from the web server's thread and back. The work a turn hands to `runtime.background`
    (a case's receipt and triage post) starts once the answer is written, so it does not compete with it."""
    _quiet_sdk_validation()
    loop = runtime.loop
    if loop is None:
        raise ValueError("the runtime has no AsyncLoop: Teams is not enabled in its configuration")

    async def serve(environ: dict, seen: list[object]) -> Response:
        identity = await teams_app.authenticator.identify(environ.get("HTTP_AUTHORIZATION"))
        if isinstance(identity, Refusal):
            log.warning("refused a Teams request without a valid token: %s", identity.reason)
            return Response.json(HTTPStatus.UNAUTHORIZED, {"error": "Unauthorized"})
        raw, problem = read_request_body(environ)  # waitress has the whole body buffered: no waiting on the client
        if raw is None:
            log.warning("refused a Teams request unread: %s", problem)
            return Response.json(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": problem})
        body, problem = _activity_json(raw)
        if body is None:
            log.warning("refused a malformed Teams request: %s", problem)
            return Response.json(HTTPStatus.BAD_REQUEST, {"error": problem})
        if not _service_url_matches(identity, body.get("serviceUrl")):
            log.warning("refused a Teams request whose serviceUrl is not the one its token was issued for")
            return Response.json(HTTPStatus.UNAUTHORIZED, {"error": "Unauthorized"})
        tenant = _tenant_of(body)
        expected = runtime.settings.teams_tenant_id
        if not runtime.settings.teams_anonymous and expected and tenant and tenant.lower() != expected.lower():
            log.warning("refused a Teams request from another tenant than TEAMS_TENANT_ID")
            return Response.json(HTTPStatus.FORBIDDEN, {"error": "Forbidden"})
        seen.append(body.get("type"))
        request = _Request(_headers(environ), body, identity)
        try:
            answer = await teams_app.adapter.process_request(request, teams_app.app)
        except Exception:  # outside every handler (the handlers' errors are answered in handlers/teams/errors.py)
            log.exception("a Teams turn failed before or after its handlers (%s)", body.get("type"))
            return Response.json(HTTPStatus.INTERNAL_SERVER_ERROR, {"error": "internal error"})
        return _response(answer)

    def teams(environ: dict) -> Response:
        answered = threading.Event()
        seen: list[object] = []  # the activity's type, once the request is one
        try:
            response = loop.run(held_until(answered, serve(environ, seen)), TURN_TIMEOUT)
        except concurrent.futures.TimeoutError:
            answered.set()
            log.error("a Teams turn took longer than %s s (%s)", TURN_TIMEOUT, seen[0] if seen else None)
            return Response.json(HTTPStatus.GATEWAY_TIMEOUT, {"error": "timeout"})
        except BaseException:
            answered.set()
            raise
        return dataclasses.replace(response, written=answered.set)

    return teams


def _activity_json(raw: bytes) -> tuple[dict[str, object] | None, str]:
    """The body as an activity's JSON, or None and what is wrong with it (never the body itself)."""
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as error:
        return None, f"the body is not JSON ({type(error).__name__})"
    if not isinstance(body, dict):
        return None, "the body is not a JSON object"
    try:
        activity = Activity.model_validate(body)
        if isinstance(body.get("channelData"), dict):
            ChannelData.model_validate(body["channelData"])  # what the Teams extension reads before any handler
    except ValidationError as error:
        return None, f"the body is no activity (wrong: {', '.join(_locations(error))})"
    except Exception as error:  # noqa: BLE001 - the SDK's validator raises bare exceptions (and RecursionError)
        return None, f"the body is no activity ({type(error).__name__})"
    if not activity.type or not activity.conversation or not activity.conversation.id:
        return None, "the activity has no type or no conversation.id"
    return body, ""


def _tenant_of(body: Mapping[str, object]) -> str | None:
    """The tenant the activity comes from: conversation.tenantId, else channelData.tenant.id; None if it says none."""
    for outer, key in (("conversation", "tenantId"), ("channelData", "tenant")):
        part = body.get(outer)
        value = part.get(key) if isinstance(part, dict) else None
        if isinstance(value, dict):
            value = value.get("id")
        if isinstance(value, str) and value:
            return value
    return None


def _locations(error: ValidationError) -> list[str]:
    """The fields a validation error is about ('conversation', 'channelData.team'), without their values."""
    return sorted({".".join(str(part) for part in detail["loc"]) for detail in error.errors()})[:5]


class _NoActivityDump(logging.Filter):
    """Drops the SDK's log record of an activity that does not validate: it carries the body (we log one line)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Validation error for Activity")


def _quiet_sdk_validation() -> None:
    logger = logging.getLogger("microsoft_agents.activity.activity")
    if not any(isinstance(f, _NoActivityDump) for f in logger.filters):
        logger.addFilter(_NoActivityDump())


def _service_url_matches(identity: ClaimsIdentity, service_url: object) -> bool:
    """Whether the activity's serviceUrl is on the host the Bot Framework signed the token for (its `serviceurl`
    claim): replies go there with the app's token, so a replayed token must not send them elsewhere."""
    claimed = identity.get_claim_value("serviceurl")
    if not claimed or service_url is None:
        return True
    return isinstance(service_url, str) and urlsplit(service_url).hostname == urlsplit(claimed).hostname


def _headers(environ: dict) -> dict[str, str]:
    """The request's headers by their HTTP names, from the WSGI environ."""
    headers = {
        key[5:].replace("_", "-").title(): str(value) for key, value in environ.items() if key.startswith("HTTP_")
    }
    if environ.get("CONTENT_TYPE"):
        headers["Content-Type"] = environ["CONTENT_TYPE"]
    return headers


def _response(answer: HttpResponse) -> Response:
    """The SDK's answer as ours: its JSON body (the expected replies, an invoke's result) or none (202)."""
    if answer.body is None:
        return Response(answer.status_code, b"", dict(answer.headers or {}))
    response = Response.json(answer.status_code, answer.body)
    return Response(response.status, response.body, {**response.headers, **(answer.headers or {})})
