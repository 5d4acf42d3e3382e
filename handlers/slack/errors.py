"""One error handler: a Swedish apology for the user, the traceback for the operator."""

import logging

from slack_bolt import App

from bot.runtime import Runtime
from messages.render import render

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.error
    def handle_error(error, body, respond, logger):
        log.exception("unhandled error in a Slack listener", exc_info=error)
        if body.get("response_url"):
            try:
                respond(text=render("internal_error"), response_type="ephemeral", replace_original=False)
            except Exception:
                log.exception("could not tell the user about the error")
