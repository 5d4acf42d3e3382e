"""Wiring the Slack app: a Bolt App with every listener, and the endpoint that serves it over HTTP."""

import logging
from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

from bot import server
from bot.runtime import Runtime
from bot.server import Endpoint, Response, read_request_body
from bot.web import MAX_BODY_BYTES  # noqa: F401 - the limit the Slack tests read here
from handlers.slack import register_all
from handlers.slack.errors import refuse_before_bolt
from handlers.slack.payload import MalformedRequest
from handlers.slack.registry import RecordingApp
from handlers.slack.shapes import check_request, read_body
from handlers.slack.verification import signature_problem

log = logging.getLogger(__name__)


def build_bolt_app(runtime: Runtime) -> RecordingApp:
    """The real Bolt app: listeners, the one error handler, our WebClient on SLACK_API_URL.

    Bolt's own signature check is off: the WSGI layer below verifies every request on its raw bytes before Bolt
    (or anything else) parses the body, against the runtime's clock. Bolt's check would run too late (Bolt has
    parsed the body by then, and a body it cannot parse is a 500), fails with a 500 on a non-numeric timestamp,
    and logs every rejected body. Socket Mode needs no signature (Slack's connection is authenticated)."""
    if runtime.client is None:
        raise ValueError("the runtime has no Slack client: Slack is not enabled in its configuration")
    app = RecordingApp(
        signing_secret=runtime.settings.slack_signing_secret,
        client=runtime.client,
        token_verification_enabled=False,
        request_verification_enabled=False,
        raise_error_for_unhandled_request=True,
        logger=_bolt_logger(),
    )
    register_all(app, runtime)
    return app


def _bolt_logger() -> logging.Logger:
    """Bolt's logger, without the warning that SLACK_BOT_TOKEN goes unused: our client always carries it."""
    logger = logging.getLogger("slack_bolt")
    if not any(isinstance(f, _TokenSkippedFilter) for f in logger.filters):
        logger.addFilter(_TokenSkippedFilter())
    return logger


class _TokenSkippedFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != warning_client_prioritized_and_token_skipped()


def slack_endpoint(bolt_app: App, runtime: Runtime) -> Endpoint:
    """POST /slack/events: every Slack request.

    A Slack request is read with a size limit and its signature verified on the raw bytes; only then is the
    body parsed, by Bolt, and its shape checked, before Bolt dispatches it (Bolt reads parts of every body for
    its listeners' arguments, and fails with a 500 on a shape Slack never sends). A request that does not
    verify gets 401 and one log line without its body; a malformed one is refused politely
    (handlers/slack/errors.py)."""
    secret = runtime.settings.slack_signing_secret

    def slack(environ: dict) -> Response:
        request = WsgiHttpRequest(environ)
        headers = {name: str(value) for name, value in request.get_headers().items()}
        body, problem = read_request_body(environ)
        if body is not None:
            problem = signature_problem(headers, body, secret, runtime.clock.now())
        if problem:
            log.warning("refused a Slack request that does not verify: %s", problem)
            return Response(401, b"invalid request")
        answer = _dispatch(bolt_app, body, headers, request.query_string)
        return Response(answer.status, answer.body.encode(), answer.first_headers())

    return slack


def build_wsgi_app(bolt_app: App, runtime: Runtime) -> Callable:
    """The server with Slack alone (the Slack tests and the Slack demo)."""
    return server.build_wsgi_app(runtime, slack=slack_endpoint(bolt_app, runtime))


def _dispatch(bolt_app: App, raw: bytes, headers: dict[str, str], query: str) -> BoltResponse:
    """Bolt's answer to a verified request, once its body has the shape Slack gives it."""
    body: dict = {}
    try:
        body = read_body(raw, (headers.get("content-type") or "").split(";")[0] or None)
        check_request(body)
        request = _bolt_request(raw, headers, query)
    except MalformedRequest as error:
        return refuse_before_bolt(error, body)
    return bolt_app.dispatch(request)


def _bolt_request(raw: bytes, headers: dict[str, str], query: str) -> BoltRequest:
    """Bolt's request; Bolt reads the envelope (team, enterprise, authorizations ...) while building it."""
    try:
        return BoltRequest(body=raw.decode(), query=query, headers=headers)
    except (TypeError, AttributeError, KeyError, IndexError, RecursionError):
        raise MalformedRequest("Bolt cannot read the envelope (team, enterprise, channel ...)") from None
