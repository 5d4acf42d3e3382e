"""The message shortcut "Registrera som synpunkt": the reporting form pre-filled with the message and its link."""

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.runtime import Runtime
from handlers.slack.views.case_report import report_view
from messages.case_modals import notice_modal
from messages.render import render

log = logging.getLogger(__name__)
CALLBACK_ID = "register_feedback"


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.warning("no permalink for a message to register as feedback: %s", exc.response.get("error"))
        return None


def register(app: App, runtime: Runtime) -> None:
    @app.shortcut(CALLBACK_ID)
    def register_feedback(ack: Ack, shortcut: dict, client: WebClient, respond) -> None:
        ack()
        if runtime.config.cases is None:
            respond(text=render("case_not_configured"), response_type="ephemeral")
            return
        # The trigger_id lives 3 s: open a loading modal first, then fetch the link and fill the form in.
        opened = client.views_open(trigger_id=shortcut["trigger_id"], view=notice_modal(render("case_loading")))
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id")
        link = _permalink(client, channel, message["ts"]) if channel and message.get("ts") else None
        view = report_view(runtime.config, description=message.get("text") or "", source_link=link)
        client.views_update(view_id=opened["view"]["id"], view=view)
