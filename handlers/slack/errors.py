"""The one error handler of the Slack app, for listeners and middleware alike.

A MalformedRequest (a signed request Slack would not send, or our own metadata coming back broken) is logged in
one line and answered with a polite Swedish note. A domain error (a refusal) is answered with its reply
(handlers/slack/replies.py). A request no listener is registered for is logged in one line
and answered 404, or 200 for an event (Slack would retry it three times for nothing). Anything else is a bug: its
traceback goes to the operator and the user gets the Swedish apology. No request is answered 500: Slack would
only show its own error, and retry events for nothing.
"""

import logging

from slack_bolt import App, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError

from bot.runtime import Runtime
from handlers.slack.payload import MalformedRequest
from handlers.slack.replies import DOMAIN_ERRORS, reply_text
from handlers.slack.shapes import URL_LIMIT, describe
from messages.render import render
from messages.slack.replies import ephemeral

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.error
    def handle_error(
        error: Exception, body: dict, respond: Respond, response: BoltResponse | None
    ) -> BoltResponse | None:
        """The answer to a failed request; None when the listener had already acknowledged it."""
        if isinstance(error, BoltUnhandledRequestError):
            if body.get("type") == "app_rate_limited":
                log.warning("Slack dropped this app's events for a minute (app_rate_limited)")
                return BoltResponse(status=200, body="")
            log.warning("no listener for a Slack request (%s)", describe(body))
            if body.get("type") == "event_callback":
                return BoltResponse(status=200, body="")  # not retried: no listener will want it later
            return None  # Bolt's 404 stands
        if isinstance(error, MalformedRequest):
            return refuse_malformed(error, body, respond, response)
        if isinstance(error, DOMAIN_ERRORS):  # a refusal the listener left to us: the same text it would give
            log.info("a Slack request was refused (%s): %s", describe(body), type(error).__name__)
            return answer(reply_text(error, runtime), body, respond, response, unanswered_status=200)
        log.exception("unhandled error in a Slack listener (%s)", describe(body), exc_info=error)
        return answer(render("internal_error"), body, respond, response, unanswered_status=200)


def refuse_malformed(
    error: MalformedRequest, body: dict, respond: Respond, response: BoltResponse | None
) -> BoltResponse | None:
    """One log line (what is wrong, never the body), and the polite note for the user."""
    log.warning("malformed Slack request (%s): %s", describe(body), error.what)
    return answer(render("malformed_request"), body, respond, response, unanswered_status=400)


def refuse_before_bolt(error: MalformedRequest, body: dict) -> BoltResponse:
    """refuse_malformed for a request stopped before Bolt, which cannot even hand such a body to an error handler
    (it reads `actions[0]`, `view.callback_id` and `event.type` of every request for its listener arguments)."""
    response = refuse_malformed(error, body, Respond(response_url=_response_url(body)), BoltResponse(status=400))
    assert response is not None  # answer() gives None only when there was no response left to give
    return response


def answer(
    text: str, body: dict, respond: Respond, response: BoltResponse | None, unanswered_status: int
) -> BoltResponse | None:
    """Tell the user `text` the way this kind of request allows: in the ack of a command or a form, else through
    the response_url; `unanswered_status` when there is nobody to tell."""
    if response is not None and "command" in body:
        return BoltResponse(status=200, body=ephemeral(text))
    if response is not None and body.get("type") == "view_submission":
        return BoltResponse(status=200, body=_form_answer(body.get("view"), text))
    told = False
    if _response_url(body):
        try:
            respond(text=text, response_type="ephemeral", replace_original=False)
            told = True
        except Exception as exc:  # the note is a courtesy: failing to deliver it must not become a second error
            log.warning("could not tell the user about a failed Slack request (%s)", type(exc).__name__)
    if response is None:
        return None
    return BoltResponse(status=200 if told else unanswered_status, body="")


def _form_answer(view: object, text: str) -> dict:
    """The note under one of the form's inputs, so that what was typed stays; a form without inputs is closed."""
    view = view if isinstance(view, dict) else {}
    blocks, state = view.get("blocks"), view.get("state")
    inputs = [
        block["block_id"]
        for block in (blocks if isinstance(blocks, list) else [])
        if isinstance(block, dict) and block.get("type") == "input" and isinstance(block.get("block_id"), str)
    ]
    if not inputs and isinstance(state, dict) and isinstance(state.get("values"), dict):
        inputs = list(state["values"])
    if not inputs:
        return {"response_action": "clear"}
    return {"response_action": "errors", "errors": {inputs[0]: text}}


def _response_url(body: dict) -> str | None:
    """The request's response_url, if it is one Slack could have sent."""
    url = body.get("response_url")
    if isinstance(url, str) and len(url) <= URL_LIMIT and url.startswith(("https://", "http://")):
        return url
    return None
