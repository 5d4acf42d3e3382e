"""/uppfoljning and the follow-up form: the command's subcommands, the 'Öppna formuläret' button under
invitations and reminders, opening the form (a loading modal first), the chooser, and page submissions. What each
leads to is decided in bot/followup/command.py; this module reads Slack's payloads and renders the answers."""

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.config.model import Person
from bot.followup.command import DelegateLookup, followup_help, followup_reply, form_or_notice, submit_page
from bot.runtime import Runtime
from bot.slack.directory import identify
from handlers.slack.actor import Actor, actor_of
from handlers.slack.modals import ModalRequest
from handlers.slack.modals import open_form as open_modal_form
from handlers.slack.payload import MalformedRequest, our_json, selected_value, view_metadata
from handlers.slack.request_keys import request_key
from messages.followup_form import CHOOSER_CALLBACK, FORM_CALLBACK, OPEN_FORM_ACTION, chosen, notice_form
from messages.form import Form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import reply

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")


def _register_uppfoljning(app: App, runtime: Runtime) -> None:
    @app.command("/uppfoljning")
    def uppfoljning(ack: Ack, command: dict, client: WebClient, respond: Respond | None, context: BoltContext) -> None:
        word, _, rest = command.get("text", "").strip().partition(" ")
        if not word:
            ack()
            open_form(runtime, client, command["trigger_id"], actor_of(context), respond=respond)
            return
        help_reply = followup_help(word)
        if help_reply is not None:
            ack(reply(help_reply))
            return
        # Looking the user up in Slack and compiling a report can take longer than the 3 s Slack waits for
        # the ack, so the answer goes through the response_url.
        ack()
        answer = followup_reply(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            word=word,
            rest=rest.strip(),
            now=runtime.clock.now(),
            request_key=request_key(command),
            delegate_to=_mentioned(runtime, client),
        )
        if answer is not None:
            respond(**reply(answer))


def _mentioned(runtime: Runtime, client: WebClient) -> DelegateLookup:
    """The delegation's target: the person behind a Slack mention `<@U…>`; None for anything else."""

    def lookup(session: Session, text: str) -> Person | None:
        match = MENTION.match(text)
        return identify(session, client, runtime.config, match.group(1), runtime.clock.now()) if match else None

    return lookup


def _register_followup_form(app: App, runtime: Runtime) -> None:
    @app.view(FORM_CALLBACK)
    def form_submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        ack(**_submit(runtime, actor_of(context), view, request_key(body)))

    @app.view(CHOOSER_CALLBACK)
    def choice_made(ack: Ack, view: dict, context: BoltContext) -> None:
        choice = chosen(selected_value(view, "choice"))
        if choice is None:
            raise MalformedRequest("the option chosen in followup_choose is not round|department")
        round_id, department_id = choice
        ack(response_action="update", view=modal(_form_or_notice(runtime, actor_of(context), round_id, department_id)))


def open_form(
    runtime: Runtime,
    client: WebClient,
    trigger_id: str,
    actor: Actor,
    round_id: str | None = None,
    department_id: str | None = None,
    *,
    respond: Respond | None,
) -> None:
    """The form (or the chooser, or a notice) in a modal that opens at once (handlers/slack/modals.py)."""
    open_modal_form(
        ModalRequest(client, trigger_id, actor.user_id, respond),
        notice_form(render("followup_loading")),
        lambda: _form_or_notice(runtime, actor, round_id, department_id),
        "the follow-up form",
        lambda expired: render("followup_form_failed", expired=expired),
    )


def _form_or_notice(runtime: Runtime, actor: Actor, round_id: str | None, department_id: str | None) -> Form:
    """The form (or the chooser, or a notice saying why there is none) for the actor now."""
    return form_or_notice(
        engine=runtime.engine,
        config=runtime.config,
        asker=actor,
        now=runtime.clock.now(),
        round_id=round_id,
        department_id=department_id,
    )


def _submit(runtime: Runtime, actor: Actor, view: dict, key: str) -> dict[str, Any]:
    """The ack for a form page: field errors, the next page, or a notice."""
    meta = view_metadata(view, {"round": str, "department": str, "page": int, "pages": int})
    if not 0 <= meta["page"] < meta["pages"]:
        raise MalformedRequest("private_metadata of followup_form has a page outside its pages")
    outcome = submit_page(
        engine=runtime.engine,
        config=runtime.config,
        asker=actor,
        now=runtime.clock.now(),
        round_id=meta["round"],
        department_id=meta["department"],
        page=meta["page"],
        pages=meta["pages"],
        values=read_view(view),
        request_key=key,
    )
    if outcome.errors is not None:
        return errors_response(outcome.errors)
    assert outcome.form is not None  # an outcome is errors or a form
    return {"response_action": "update", "view": modal(outcome.form, outcome.page)}


def _register_followup_open_form(app: App, runtime: Runtime) -> None:
    @app.action(OPEN_FORM_ACTION)
    def open_form_button(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond | None, context: BoltContext
    ) -> None:
        target = our_json(action.get("value"), {"round": str, "department": str}, f"value of {OPEN_FORM_ACTION}")
        ack()  # after reading the value (instant), so that a broken one is answered in the ack's place
        actor = actor_of(context)
        open_form(runtime, client, body["trigger_id"], actor, target["round"], target["department"], respond=respond)


def register(app: App, runtime: Runtime) -> None:
    _register_uppfoljning(app, runtime)
    _register_followup_form(app, runtime)
    _register_followup_open_form(app, runtime)
