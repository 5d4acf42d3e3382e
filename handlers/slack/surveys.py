"""/enkat and the survey form: the command's subcommands, the 'Svara på enkäten' button under invitations and
reminders, opening the form (a loading modal first) and page submissions. What each leads to is decided in
bot/surveys/command.py; this module reads Slack's payloads and renders the answers. It logs no user: in an anonymous
survey that would tie a person to the moment an answer was stored."""

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.runtime import Runtime
from bot.surveys.answers import valid_ballot
from bot.surveys.command import SubmittedPage, form_or_notice, submit_page, survey_help, survey_reply
from handlers.slack.actor import Actor, actor_of
from handlers.slack.modals import ModalRequest, open_form
from handlers.slack.payload import MalformedRequest, our_json, view_metadata
from handlers.slack.request_keys import request_key
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import reply
from messages.survey_form import FORM_CALLBACK, OPEN_FORM_ACTION, survey_notice


def _register_command(app: App, runtime: Runtime) -> None:
    @app.command("/enkat")
    def enkat(ack: Ack, command: dict, client: WebClient, respond: Respond | None, context: BoltContext) -> None:
        word, _, rest = command.get("text", "").strip().partition(" ")
        if not word:
            ack()
            _open_form(runtime, client, command["trigger_id"], actor_of(context), respond=respond)
            return
        help_reply = survey_help(word)
        if help_reply is not None:
            ack(reply(help_reply))
            return
        ack()  # compiling results can take longer than the 3 s Slack waits: the answer goes to the response_url
        answer = survey_reply(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor_of(context),
            word=word,
            rest=rest.strip(),
            now=runtime.clock.now(),
            request_key=request_key(command),
        )
        if answer is not None:
            respond(**reply(answer))


def _open_form(
    runtime: Runtime,
    client: WebClient,
    trigger_id: str,
    actor: Actor,
    survey_id: str | None = None,
    round_key: str | None = None,
    *,
    respond: Respond | None,
) -> None:
    """The survey's form (or a notice) in a modal that opens at once (handlers/slack/modals.py)."""
    open_form(
        ModalRequest(client, trigger_id, actor.user_id, respond),
        survey_notice(render("survey_loading")),
        lambda: form_or_notice(
            engine=runtime.engine,
            config=runtime.config,
            asker=actor,
            now=runtime.clock.now(),
            survey_id=survey_id,
            round_key=round_key,
        ),
        "the survey form",
        lambda expired: render("survey_form_failed", expired=expired),
    )


def _submit(runtime: Runtime, actor: Actor, view: dict, key: str) -> dict[str, Any]:
    """The ack for a form page: field errors, the next page, or a notice."""
    meta = view_metadata(view, {"survey": str, "round": str, "ballot": str, "page": int, "pages": int})
    if not 0 <= meta["page"] < meta["pages"]:
        raise MalformedRequest("private_metadata of survey_form has a page outside its pages")
    if not valid_ballot(meta["ballot"]):
        raise MalformedRequest("private_metadata of survey_form has no ballot the bot made")
    submitted = SubmittedPage(
        meta["survey"], meta["round"], meta["ballot"], meta["page"], meta["pages"], read_view(view)
    )
    outcome = submit_page(
        engine=runtime.engine,
        config=runtime.config,
        asker=actor,
        now=runtime.clock.now(),
        submitted=submitted,
        request_key=key,
    )
    if outcome.errors is not None:
        return errors_response(outcome.errors)
    assert outcome.form is not None  # an outcome is errors or a form
    return {"response_action": "update", "view": modal(outcome.form, outcome.page)}


def _register_form(app: App, runtime: Runtime) -> None:
    @app.view(FORM_CALLBACK)
    def form_submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        ack(**_submit(runtime, actor_of(context), view, request_key(body)))

    @app.action(OPEN_FORM_ACTION)
    def open_form_button(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond | None, context: BoltContext
    ) -> None:
        target = our_json(action.get("value"), {"survey": str, "round": str}, f"value of {OPEN_FORM_ACTION}")
        ack()  # after reading the value (instant), so that a broken one is answered in the ack's place
        _open_form(
            runtime, client, body["trigger_id"], actor_of(context), target["survey"], target["round"], respond=respond
        )


def register(app: App, runtime: Runtime) -> None:
    _register_command(app, runtime)
    _register_form(app, runtime)
