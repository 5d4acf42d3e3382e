"""Global middleware: every request gets an ack that keeps its answer (handlers/slack/ack.py); Events API retries
are recognised by event_id and acknowledged without rework.

The body's shape is checked before Bolt sees it (bot/slack/app.py): an event_callback has a string event_id that
fits its column."""

import logging

from slack_bolt import App, BoltRequest, BoltResponse

from bot.runtime import Runtime
from handlers.slack.ack import AckOnce
from storage import state
from storage.engine import session_scope

log = logging.getLogger(__name__)


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def keep_the_ack(req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 (Bolt's name)
        req.context["ack"] = AckOnce()
        return next()

    @app.middleware
    def deduplicate_events(req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 (Bolt's name)
        event_id = req.body.get("event_id") if req.body.get("type") == "event_callback" else None
        if event_id:
            with session_scope(runtime.engine) as session:
                first = state.first_sighting_of_event(session, event_id, runtime.clock.now())
            if not first:
                log.info("event %s seen before (retry %s); ignored", event_id, req.headers.get("x-slack-retry-num"))
                return BoltResponse(status=200, body="")
        return next()
