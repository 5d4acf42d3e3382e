"""A case's triage card in Teams: its buttons, the forms some of them open, and those forms' submissions, each step
with the same permission checks as in Slack (bot/cases/triage_command.py).

Take, reopen and the confidentiality mark are Action.Execute: the clicked card is answered with the case as it
stands now, so it changes in place at once. Assign, answer and close open their form in a dialog (task/fetch), for
the clicker alone as Slack's modal is; its submission (task/submit) closes the dialog after the step, or shows the
form again with the refusal under its field and what was typed. After a step the triage post is refreshed through
the outbox (an update row, as in Slack), so the channel sees the case as it stands."""

import asyncio
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import ActivityTypes
from microsoft_agents.hosting.core import AgentApplication, RouteRank, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_agents.hosting.msteams.task_module.route_handlers import FetchHandler, SubmitHandler
from microsoft_teams.api.models import TaskModuleRequest, TaskModuleResponse

from bot.asker import Asker
from bot.cases.sending import send_case_messages
from bot.cases.triage import refresh_triage
from bot.cases.triage_command import (
    FORM_STEPS,
    FORMS,
    IMMEDIATE,
    SHOW,
    button_form,
    case_id_of,
    current_triage,
    press,
    show_text,
    submit_case_form,
)
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.dialogs import answer_dialog, dialog, dialog_data, form_dialog
from handlers.teams.replies import Card, CardAction, Malformed, malformed_text, on_card_action, our_fields, text_card
from handlers.teams.request_keys import NONCE, request_key
from messages.form import Form, FormValues
from messages.render import render
from messages.teams.card import message_card
from messages.teams.form import SubmissionError, form_card, read_submission, submission_metadata

DIALOG_INVOKES = ("task/fetch", "task/submit")


def _case_id(verb: str, data: Mapping[str, Any]) -> int:
    """The case id a triage button carries; a value that is not one is malformed."""
    case_id = case_id_of(data.get("value") if isinstance(data.get("value"), str) else None)
    if case_id is None:
        raise Malformed(f"the value of {verb} is not a case id")
    return case_id


async def _current(runtime: Runtime, case_id: int) -> Card | str:
    """The case's triage card as it stands now."""
    message = await asyncio.to_thread(current_triage, runtime.engine, runtime.config, case_id)
    return message_card(message) if message is not None else render("internal_error")


def _refresh(runtime: Runtime, case_id: int) -> None:
    """Refresh the posted triage card through the outbox, after answering (as in Slack, after the ack)."""
    now = runtime.clock.now()
    runtime.background.submit(refresh_triage, runtime.engine, runtime.senders, runtime.config, case_id, now)


async def _refreshed(runtime: Runtime, case_id: int) -> Card | str:
    """The case's triage card as it stands now, for the answer; the posted card is refreshed too."""
    _refresh(runtime, case_id)
    return await _current(runtime, case_id)


def _immediate(runtime: Runtime, verb: str) -> CardAction:
    async def clicked(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """Take, reopen or mark confidential: the refusal to the clicker alone, or the card as the case now is."""
        case_id = _case_id(verb, data)
        refusal = await asyncio.to_thread(
            press,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            action=verb,
            case_id=case_id,
            value=data.get("value"),
            now=runtime.clock.now(),
            request_key=request_key(context.activity),
        )
        # A replay refreshes too: the first request may have ended before its refresh ran.
        return refusal or await _refreshed(runtime, case_id)

    return clicked


async def _form(runtime: Runtime, asker: Asker, verb: str, case_id: int) -> Form | str:
    """The form the button `verb` opens for the case, or the Swedish text saying why the asker may not."""
    return await asyncio.to_thread(
        button_form,
        engine=runtime.engine,
        config=runtime.config,
        asker=asker,
        action=verb,
        case_id=case_id,
        now=runtime.clock.now(),
    )


async def _step(runtime: Runtime, context: TurnContext, kind: str, case_id: int, values: FormValues) -> str | None:
    """Run the submitted form's step; the refusal in Swedish, or None once done (or on a replay): the triage post
    refreshed, and an answer sent to the reporter now."""
    done, refusal = await asyncio.to_thread(
        submit_case_form,
        engine=runtime.engine,
        config=runtime.config,
        asker=asker_of(context, runtime),
        kind=kind,
        case_id=case_id,
        values=values,
        now=runtime.clock.now(),
        request_key=request_key(context.activity),
    )
    if refusal:
        return refusal
    # A replay refreshes too: the first request may have ended before its refresh ran.
    _refresh(runtime, case_id)
    if done and kind == "case_answer":
        runtime.background.submit(
            send_case_messages, runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now()
        )
    return None


def _submitted(data: Mapping[str, Any]) -> tuple[FormValues, Mapping[str, Any], int]:
    """A submitted case form's values, its metadata and its case id; Malformed or SubmissionError otherwise."""
    _, values = read_submission(data)
    metadata = submission_metadata(data)
    return values, metadata, our_fields(metadata, {"case_id": int})["case_id"]


def _dialog_fetch(runtime: Runtime, verb: str) -> FetchHandler[TurnState]:
    async def fetch(context: TurnContext, state: TurnState, request: TaskModuleRequest) -> TaskModuleResponse:
        """Assign, answer or close: the form in a dialog for the clicker alone, or the refusal in its place."""
        try:
            case_id = _case_id(verb, dialog_data(request))
        except Malformed as error:
            return dialog(malformed_text(context, error))
        form = await _form(runtime, asker_of(context, runtime), verb, case_id)
        return form_dialog(form)

    return fetch


def _dialog_submit(runtime: Runtime, kind: str) -> SubmitHandler[TurnState]:
    async def submit(context: TurnContext, state: TurnState, request: TaskModuleRequest) -> TaskModuleResponse | None:
        """The dialog closed after the form's step (or a replay), or the form shown again with the refusal under its
        field and what was typed; the refusal alone when the form is no longer the asker's."""
        try:
            values, metadata, case_id = _submitted(dialog_data(request))
        except (Malformed, SubmissionError) as error:
            return dialog(malformed_text(context, error))
        refusal = await _step(runtime, context, kind, case_id, values)
        if refusal is None:
            await answer_dialog(context, None)  # Teams closes the dialog
            return None
        form = await _form(runtime, asker_of(context, runtime), kind, case_id)
        if isinstance(form, str):
            return dialog(refusal)
        return form_dialog(form, metadata.get(NONCE), values, {FORM_STEPS[kind][0]: refusal})

    return submit


def _card_form(runtime: Runtime, verb: str) -> CardAction:
    """A form button or a form card as Action.Execute, from cards posted before the form buttons opened dialogs."""

    async def clicked(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """The button: the card as the case stands now, whose button opens the dialog (the post is refreshed too).
        A form card posted in the conversation: replaced by a confirmation after its step, or shown again with the
        refusal under its field and what was typed."""
        if "fields" not in data:
            return await _refreshed(runtime, _case_id(verb, data))
        values, _, case_id = _submitted(data)
        refusal = await _step(runtime, context, verb, case_id, values)
        if refusal is None:
            return text_card(render("teams_case_step_done"))
        form = await _form(runtime, asker_of(context, runtime), verb, case_id)
        if isinstance(form, str):
            return text_card(refusal)
        return form_card(form, values=values, errors={FORM_STEPS[verb][0]: refusal})

    return clicked


def _unknown_dialog(app: AgentApplication[TurnState]) -> None:
    """A task/fetch or task/submit no dialog of ours sends (no verb we know, data that is no object): the polite
    Swedish note in the dialog, a line in the log."""

    def selected(context: TurnContext) -> bool:
        activity = context.activity
        return activity.type == ActivityTypes.invoke and activity.name in DIALOG_INVOKES

    async def answer(context: TurnContext, state: TurnState) -> None:
        note = malformed_text(context, Malformed("a dialog request with no verb of ours"))
        await answer_dialog(context, dialog(note))

    app.add_route(selected, answer, is_invoke=True, rank=RouteRank.LAST)


def _shown(runtime: Runtime) -> CardAction:
    async def show(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """A confidential case in full, to the clicker alone (or the refusal)."""
        case_id, asker, now = _case_id(SHOW, data), asker_of(context, runtime), runtime.clock.now()
        return await asyncio.to_thread(
            show_text, engine=runtime.engine, config=runtime.config, asker=asker, case_id=case_id, now=now
        )

    return show


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    for verb in IMMEDIATE:
        on_card_action(app, runtime.engine, verb, _immediate(runtime, verb))
    for verb in FORMS:
        teams.task_modules.fetch(verb)(_dialog_fetch(runtime, verb))
        teams.task_modules.submit(verb)(_dialog_submit(runtime, verb))
        on_card_action(app, runtime.engine, verb, _card_form(runtime, verb))
    on_card_action(app, runtime.engine, SHOW, _shown(runtime))
    _unknown_dialog(app)
