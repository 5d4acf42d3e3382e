"""A case's triage card in Teams: its buttons (Action.Execute), the forms some of them open, and those forms'
submissions, each step with the same permission checks as in Slack (bot/cases/triage_command.py). After a step the
triage post is refreshed through the outbox (an update row, as in Slack) and the clicked card is answered with the
case as it stands now, so it changes in place at once."""

import asyncio
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

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
from handlers.teams.replies import Card, CardAction, Malformed, on_card_action, our_fields, reply_card, text_card
from handlers.teams.request_keys import request_key
from messages.render import render
from messages.teams.card import message_card
from messages.teams.form import form_card, read_submission, submission_metadata


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


async def _refreshed(runtime: Runtime, case_id: int) -> Card | str:
    """The case's triage card as it stands now, for the answer; the posted card is refreshed through the outbox
    after answering (as in Slack, after the ack)."""
    now = runtime.clock.now()
    runtime.background.submit(refresh_triage, runtime.engine, runtime.senders, runtime.config, case_id, now)
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


def _opens_form(runtime: Runtime, verb: str) -> CardAction:
    async def clicked(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """Assign, answer or close: the form as a reply under the triage post (the triage card stays as the case
        stands), or the refusal to the clicker alone."""
        case_id, asker, now = _case_id(verb, data), asker_of(context, runtime), runtime.clock.now()
        form = await asyncio.to_thread(
            button_form,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker,
            action=verb,
            case_id=case_id,
            now=now,
        )
        if isinstance(form, str):
            return form
        await reply_card(context, form_card(form), form.title)
        return await _current(runtime, case_id)

    return clicked


def _submitted(runtime: Runtime, kind: str) -> CardAction:
    async def submit(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """The form replaced by a confirmation after its step (or a replay), or shown again with the refusal under
        its field and what was typed; an answer also goes out to the reporter now."""
        _, values = read_submission(data)
        case_id = our_fields(submission_metadata(data), {"case_id": int})["case_id"]
        asker, now = asker_of(context, runtime), runtime.clock.now()
        done, refusal = await asyncio.to_thread(
            submit_case_form,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker,
            kind=kind,
            case_id=case_id,
            values=values,
            now=now,
            request_key=request_key(context.activity),
        )
        if refusal:
            form = await asyncio.to_thread(
                button_form,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker,
                action=kind,
                case_id=case_id,
                now=now,
            )
            if isinstance(form, str):  # the form is no longer the asker's to fill in
                return text_card(refusal)
            return form_card(form, values=values, errors={FORM_STEPS[kind][0]: refusal})
        await _refreshed(runtime, case_id)
        if done and kind == "case_answer":
            runtime.background.submit(
                send_case_messages, runtime.engine, runtime.senders, runtime.config, case_id, runtime.clock.now()
            )
        return text_card(render("teams_case_step_done"))

    return submit


def _button_or_form(runtime: Runtime, verb: str) -> CardAction:
    """A form's kind is its button's verb: a submission carries the form's fields, a click only the case id."""
    opened, submitted = _opens_form(runtime, verb), _submitted(runtime, verb)

    async def either(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        return await (submitted if "fields" in data else opened)(context, data)

    return either


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
        on_card_action(app, runtime.engine, verb, _button_or_form(runtime, verb))
    on_card_action(app, runtime.engine, SHOW, _shown(runtime))
