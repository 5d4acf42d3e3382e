"""`uppfoljning [status|historik|delegera|rapport]` in Teams and the follow-up form as a card: the form opened by
the command or by the 'Öppna formuläret' button of an invitation, the chooser, and page submissions answered with
the next page, the errors under their fields (with what was typed) or the confirmation, in the card's place.
bot/followup/command.py decides, as for Slack's /uppfoljning."""

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from sqlmodel import Session

from bot.config.model import Person
from bot.followup.answers import ConcurrentSubmission
from bot.followup.command import DelegateLookup, followup_help, followup_reply, form_or_notice, submit_page
from bot.replies import error_text
from bot.runtime import Runtime
from bot.teams.mentions import mentioned_person
from handlers.teams.asker import asker_of
from handlers.teams.commands import on_command
from handlers.teams.replies import Card, Malformed, on_card_action, our_fields, reply, reply_card
from handlers.teams.request_keys import request_key
from messages.followup_form import CHOOSER_CALLBACK, FORM_CALLBACK, OPEN_FORM_ACTION, chosen
from messages.form import FieldErrors, Form, FormValues
from messages.teams.form import form_card, page_after, pages, read_submission, submission_metadata


def _mentions(context: TurnContext) -> list[dict[str, Any]]:
    """The accounts the message mentions, other than the bot."""
    activity = context.activity
    bot = activity.recipient.id if activity.recipient else None
    found = []
    for entity in activity.entities or []:
        data = entity.model_dump(by_alias=True, exclude_none=True)
        mentioned = data.get("mentioned")
        if data.get("type") == "mention" and isinstance(mentioned, dict) and mentioned.get("id") != bot:
            found.append(mentioned)
    return found


def _delegation(context: TurnContext, runtime: Runtime, rest: str) -> tuple[str, DelegateLookup]:
    """Whom `delegera` names: the first person mentioned (Teams takes the mention out of the text), by name, and
    how to find them; a text without a mention names nobody the bot can find."""
    mentions = _mentions(context)
    if not mentions:
        return rest, lambda session, text: None
    mentioned = mentions[0]

    def lookup(session: Session, text: str) -> Person | None:
        return mentioned_person(session, runtime.config, mentioned)

    return str(mentioned.get("name") or rest or mentioned.get("id")), lookup


def _command(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    @on_command(app, "uppfoljning")
    async def uppfoljning(context: TurnContext, state: TurnState, argument: str) -> None:
        word, _, rest = argument.strip().partition(" ")
        if not word:
            form = await _form(context, runtime)
            await reply_card(context, form_card(form), form.title)
            return
        answer = followup_help(word)
        if answer is None:
            who, lookup = _delegation(context, runtime, rest.strip())
            answer = await asyncio.to_thread(
                followup_reply,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                word=word,
                rest=who,
                now=runtime.clock.now(),
                request_key=request_key(context.activity),
                delegate_to=lookup,
            )
        if answer is not None:  # None: the same message delivered again, answered the first time
            await reply(context, answer)


async def _form(
    context: TurnContext, runtime: Runtime, round_id: str | None = None, department_id: str | None = None
) -> Form:
    """The form (or the chooser, or a notice saying why there is none) for the asker now."""
    return await asyncio.to_thread(
        form_or_notice,
        engine=runtime.engine,
        config=runtime.config,
        asker=asker_of(context, runtime),
        now=runtime.clock.now(),
        round_id=round_id,
        department_id=department_id,
    )


def _card_actions(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    async def open_form(context: TurnContext, data: Mapping[str, Any]) -> Card:
        """The invitation's button: the department's form in the invitation's place."""
        try:
            value = json.loads(data.get("value") or "")
        except (TypeError, ValueError):
            raise Malformed(f"the value of {OPEN_FORM_ACTION} is not JSON") from None
        target = our_fields(value if isinstance(value, dict) else {}, {"round": str, "department": str})
        return form_card(await _form(context, runtime, target["round"], target["department"]))

    async def choose(context: TurnContext, data: Mapping[str, Any]) -> Card:
        _, values = read_submission(data)
        choice = chosen(values.text("choice"))
        if choice is None:
            raise Malformed(f"the option chosen in {CHOOSER_CALLBACK} is not round|department")
        return form_card(await _form(context, runtime, *choice))

    async def again(
        context: TurnContext, round_id: str, department_id: str, page: int, values: FormValues, errors: FieldErrors
    ) -> Card:
        """The page shown again with what was typed and the errors under their fields (or, should the form be gone
        meanwhile, the notice saying why)."""
        form = await _form(context, runtime, round_id, department_id)
        return form_card(form, values=values, errors=errors, page=min(page, len(pages(form)) - 1))

    async def submit(context: TurnContext, data: Mapping[str, Any]) -> Card:
        _, values = read_submission(data)
        meta = our_fields(submission_metadata(data), {"round": str, "department": str, "page": int, "pages": int})
        round_id, department_id, page, then = meta["round"], meta["department"], meta["page"], page_after(data)
        if not 0 <= page < meta["pages"] or not 0 <= then <= meta["pages"]:
            raise Malformed(f"the metadata of {FORM_CALLBACK} has a page outside its pages")
        try:
            outcome = await asyncio.to_thread(
                submit_page,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                now=runtime.clock.now(),
                round_id=round_id,
                department_id=department_id,
                page=page,
                pages=meta["pages"],
                values=values,
                request_key=request_key(context.activity),
                then=then,
            )
        except ConcurrentSubmission as error:  # under the page's first field, keeping what was typed
            first = next(iter(values.values), "")
            errors = {first: error_text(error, runtime.config, runtime.clock.now())}
            return await again(context, round_id, department_id, page, values, errors)
        if outcome.errors is not None:
            return await again(context, round_id, department_id, page, values, outcome.errors)
        assert outcome.form is not None  # an outcome is errors or a form
        return form_card(outcome.form, page=outcome.page)

    on_card_action(app, runtime.engine, OPEN_FORM_ACTION, open_form)
    on_card_action(app, runtime.engine, CHOOSER_CALLBACK, choose)
    on_card_action(app, runtime.engine, FORM_CALLBACK, submit)


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    _command(app, runtime)
    _card_actions(app, runtime)
