"""/synpunkt, the message shortcut "Registrera som synpunkt" and the reporting form they open: built, pre-filled
with the message and its link, and its submission registered; `/synpunkt statistik [år]` for the year's statistics."""

import logging
from dataclasses import asdict

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.cases import registration
from bot.cases.deadlines import local_date
from bot.cases.registration import InvalidReport, Report
from bot.cases.sending import send_case_messages
from bot.cases.statistics import case_statistics
from bot.config.model import AssociationConfig
from bot.replays import Replayed
from bot.runtime import Runtime
from handlers.slack.payload import view_metadata
from handlers.slack.request_keys import request_key
from messages.case_modals import field_errors, notice_form, report_form, report_values
from messages.case_statistics import statistics_text
from messages.commands import HELP_WORDS
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import ephemeral, template_reply
from storage.cases import retrying_locks
from storage.engine import session_scope

STATISTICS_WORDS = {"statistik", "stats"}
FIRST_YEAR, LAST_YEAR = 2000, 2100


def _register_synpunkt(app: App, runtime: Runtime) -> None:
    @app.command("/synpunkt")
    def synpunkt(ack: Ack, command: dict, client) -> None:
        words = command.get("text", "").split()
        if runtime.config.cases is None:
            ack(template_reply("case_not_configured"))
            return
        if not words:
            ack()
            client.views_open(trigger_id=command["trigger_id"], view=report_view(runtime.config))
            return
        if words[0].casefold() in STATISTICS_WORDS:
            ack(_statistics_reply(runtime, words[1:]))
            return
        unknown = "" if words[0].casefold() in HELP_WORDS else " ".join(words)
        ack(template_reply("case_help", unknown=unknown))


def _statistics_reply(runtime: Runtime, arguments: list[str]) -> dict:
    now = runtime.clock.now()
    year = local_date(runtime.config, now).year
    if arguments:
        text = arguments[0]
        if len(arguments) > 1 or not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
            return template_reply("case_help", unknown=" ".join(["statistik", *arguments]))
        year = int(text)
    with session_scope(runtime.engine) as session:
        stats = case_statistics(session=session, config=runtime.config, year=year, now=now)
    return ephemeral(statistics_text(stats))


log = logging.getLogger(__name__)
CALLBACK_ID = "register_feedback"


def _permalink(client: WebClient, channel: str, ts: str) -> str | None:
    try:
        return client.chat_getPermalink(channel=channel, message_ts=ts).get("permalink")
    except SlackApiError as exc:
        log.warning("no permalink for a message to register as feedback: %s", exc.response.get("error"))
        return None


def _register_register_feedback(app: App, runtime: Runtime) -> None:
    @app.shortcut(CALLBACK_ID)
    def register_feedback(ack: Ack, shortcut: dict, client: WebClient, respond) -> None:
        ack()
        if runtime.config.cases is None:
            respond(text=render("case_not_configured"), response_type="ephemeral")
            return
        # The trigger_id lives 3 s: open a loading modal first, then fetch the link and fill the form in.
        opened = client.views_open(trigger_id=shortcut["trigger_id"], view=modal(notice_form(render("case_loading"))))
        message = shortcut.get("message") or {}
        channel = (shortcut.get("channel") or {}).get("id")
        link = _permalink(client, channel, message["ts"]) if channel and message.get("ts") else None
        view = report_view(runtime.config, description=message.get("text") or "", source_link=link)
        client.views_update(view_id=opened["view"]["id"], view=view)


def report_view(config: AssociationConfig, description: str = "", source_link: str | None = None) -> dict:
    """The form with the service catalogue, the departments and the member municipalities to choose from."""
    form = report_form(
        services=[(service.id, service.name) for service in config.services],
        departments=[(department.id, department.name) for department in config.departments],
        members=[(member.id, member.name) for member in config.members],
        description=description,
        source_link=source_link,
    )
    return modal(form)


def parse_report(view: dict, user_id: str) -> Report:
    """The submitted form as a Report; an anonymous one carries neither the user id nor the message link."""
    values = report_values(read_view(view))
    metadata = view_metadata(view, {"source_link": str | None})
    return Report(
        **asdict(values),
        reporter_user_id=None if values.anonymous else user_id,
        source_link=None if values.anonymous else metadata.get("source_link"),
    )


def _register_case_report(app: App, runtime: Runtime) -> None:
    @app.view("case_report")
    def submit_report(ack: Ack, body: dict) -> None:
        now = runtime.clock.now()
        report = parse_report(body["view"], body["user"]["id"])
        try:
            key = request_key(body)
            case = retrying_locks(
                runtime.engine,
                lambda session: registration.register(
                    session=session, config=runtime.config, report=report, now=now, request_key=key
                ),
            )
        except Replayed:
            ack()  # closes the form; the first submission registered the case and sent its receipt
            return
        except InvalidReport as invalid:
            ack(**errors_response(field_errors(invalid.problems)))
            return
        except Exception:
            # Logged without the reporter (who may be anonymous); the form stays open with what was typed.
            log.exception("could not register a report; the reporter was asked to try again")
            ack(**errors_response(field_errors({"description": "internal_error"})))
            return
        ack(response_action="update", view=modal(notice_form(render("case_registered", case=case))))
        # The receipt and the triage post go out now rather than at the next tick.
        send_case_messages(runtime.engine, runtime.senders, runtime.config, case.id, now)


def register(app: App, runtime: Runtime) -> None:
    _register_synpunkt(app, runtime)
    _register_register_feedback(app, runtime)
    _register_case_report(app, runtime)
