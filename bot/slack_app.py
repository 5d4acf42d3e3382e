"""Wiring the Slack app: a Bolt App with every listener, and the WSGI app that serves it over HTTP."""

import json
import logging
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler

from bot.runtime import Runtime
from handlers.slack import register_all

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"


def build_bolt_app(runtime: Runtime) -> App:
    """The real Bolt app: signature verification, listeners, our WebClient on SLACK_API_URL."""
    app = App(
        signing_secret=runtime.settings.slack_signing_secret,
        client=runtime.client,
        token_verification_enabled=False,
        logger=logging.getLogger("slack_bolt"),
    )
    register_all(app, runtime)
    return app


def build_wsgi_app(bolt_app: App) -> Callable:
    """POST /slack/events for every Slack request, GET /healthz for the platform's health check."""
    slack = SlackRequestHandler(bolt_app, path=EVENTS_PATH)

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") == "GET":
            body = json.dumps({"status": "ok"}).encode()
            start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
            return [body]
        return slack(environ, start_response)

    return application
