"""/uppfoljning: the form, status, history, hand-over to a deputy, and the quality manager's report."""

import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.directory import identify
from bot.errors import NotAllowed
from bot.followup import service
from bot.followup.rounds import next_round, round_times
from bot.replays import Replayed
from bot.runtime import Runtime
from handlers.slack.request_keys import request_key
from handlers.slack.views.followup_form import open_form
from messages.followup_labels import STATUS_LABELS, format_number
from messages.replies import template_reply
from storage.engine import session_scope

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
HELP_WORDS = {"hjälp", "help", "?"}
SUBCOMMANDS = {"status", "historik", "delegera", "rapport"}


def register(app: App, runtime: Runtime) -> None:
    @app.command("/uppfoljning")
    def uppfoljning(ack: Ack, command: dict, client: WebClient, respond: Respond) -> None:
        word, _, rest = command.get("text", "").strip().partition(" ")
        word = word.casefold()
        if not word:
            ack()
            open_form(runtime, client, command["trigger_id"], command["user_id"], respond=respond)
            return
        if word not in SUBCOMMANDS:
            ack(template_reply("followup_help", unknown="" if word in HELP_WORDS else word))
            return
        # Looking the user up in Slack and compiling a report can take longer than the 3 s Slack waits for
        # the ack, so the answer goes through the response_url.
        ack()
        reply = _reply(runtime, client, word, rest.strip(), command["user_id"], request_key(command))
        if reply is not None:
            respond(**reply)


def _reply(runtime: Runtime, client: WebClient, word: str, rest: str, user_id: str, key: str) -> dict | None:
    """The reply to a subcommand; None for a command processed before (a replay), which gets no second reply."""
    config, now = runtime.config, runtime.clock.now()
    with session_scope(runtime.engine) as session:
        person = identify(session, client, config, user_id, now)
        if person is None:
            return template_reply("unknown_person")
        try:
            if word == "status":
                return template_reply("followup_status", statuses=service.round_status(session, config, person, now))
            if word == "historik":
                view = service.history(session, config, person, rest)
                return template_reply("followup_history", view=view, num=format_number, status_labels=STATUS_LABELS)
            if word == "rapport":
                round_ = service.request_report(session, config, person, now, request_key=key)
                return template_reply("followup_report_queued", round=round_)
            target = None
            if rest:
                match = MENTION.match(rest)
                target = identify(session, client, config, match.group(1), now) if match else None
                if target is None:
                    return template_reply("followup_unknown_delegate", who=rest)
            handed = service.delegate(session, config, person, target, now, request_key=key)
            return template_reply("followup_delegated", handed=handed)
        except Replayed:
            return None
        except NotAllowed as refusal:
            return template_reply("not_allowed", what=refusal.what)
        except service.RoundNotOpen:
            upcoming = next_round(config, now)
            opens = round_times(config, upcoming).opens_at if upcoming else None
            return template_reply("followup_no_round", open_rounds=[], next_round=upcoming, next_opens=opens)
        except service.UnknownIndicator as unknown:
            return template_reply("followup_unknown_indicator", text=unknown.text, choices=unknown.choices)
        except service.NoDeputy as missing:
            return template_reply("followup_no_deputy", department=str(missing))
