"""`enkät [status|resultat|export]` in Teams and the survey form as a card: opened by the command or by the 'Svara
på enkäten' button of an invitation; page submissions answered with the next page, the errors under their fields
(with what was typed) or the thanks, in the card's place. bot/surveys/command.py decides, as for Slack's /enkat."""

import asyncio
import json
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.runtime import Runtime
from bot.surveys.answers import valid_ballot
from bot.surveys.command import SubmittedPage, form_or_notice, submit_page, survey_help, survey_reply
from handlers.teams.asker import asker_of
from handlers.teams.commands import on_command
from handlers.teams.replies import Card, Malformed, on_card_action, our_fields, reply, reply_card
from handlers.teams.request_keys import request_key
from messages.form import Form
from messages.survey_form import FORM_CALLBACK, OPEN_FORM_ACTION
from messages.teams.form import form_card, page_after, pages, read_submission, submission_metadata


def _command(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    @on_command(app, "enkat")
    async def enkat(context: TurnContext, state: TurnState, argument: str) -> None:
        word, _, rest = argument.strip().partition(" ")
        if not word:
            form = await _form(context, runtime)
            await reply_card(context, form_card(form), form.title)
            return
        answer = survey_help(word)
        if answer is None:
            answer = await asyncio.to_thread(
                survey_reply,
                engine=runtime.engine,
                config=runtime.config,
                asker=asker_of(context, runtime),
                word=word,
                rest=rest.strip(),
                now=runtime.clock.now(),
                request_key=request_key(context.activity),
            )
        if answer is not None:  # None: the same message delivered again, answered the first time
            await reply(context, answer)


async def _form(
    context: TurnContext, runtime: Runtime, survey_id: str | None = None, round_key: str | None = None
) -> Form:
    """The form (or a notice saying why there is none) for the asker now."""
    return await asyncio.to_thread(
        form_or_notice,
        engine=runtime.engine,
        config=runtime.config,
        asker=asker_of(context, runtime),
        now=runtime.clock.now(),
        survey_id=survey_id,
        round_key=round_key,
    )


def _card_actions(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    async def open_form(context: TurnContext, data: Mapping[str, Any]) -> Card:
        """The invitation's button: the round's form in the invitation's place."""
        try:
            value = json.loads(data.get("value") or "")
        except (TypeError, ValueError):
            raise Malformed(f"the value of {OPEN_FORM_ACTION} is not JSON") from None
        target = our_fields(value if isinstance(value, dict) else {}, {"survey": str, "round": str})
        return form_card(await _form(context, runtime, target["survey"], target["round"]))

    async def submit(context: TurnContext, data: Mapping[str, Any]) -> Card:
        _, values = read_submission(data)
        schema = {"survey": str, "round": str, "ballot": str, "page": int, "pages": int}
        meta = our_fields(submission_metadata(data), schema)
        page, then = meta["page"], page_after(data)
        if not 0 <= page < meta["pages"] or not 0 <= then <= meta["pages"]:
            raise Malformed(f"the metadata of {FORM_CALLBACK} has a page outside its pages")
        if not valid_ballot(meta["ballot"]):
            raise Malformed(f"the metadata of {FORM_CALLBACK} has no ballot the bot made")
        submitted = SubmittedPage(meta["survey"], meta["round"], meta["ballot"], page, meta["pages"], values, then)
        outcome = await asyncio.to_thread(
            submit_page,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            now=runtime.clock.now(),
            submitted=submitted,
            request_key=request_key(context.activity),
        )
        if outcome.errors is not None:  # the page again, with what was typed and the errors under their fields
            form = await _form(context, runtime, meta["survey"], meta["round"])
            form = _keeping_ballot(form, meta["ballot"])
            return form_card(form, values=values, errors=outcome.errors, page=min(page, len(pages(form)) - 1))
        assert outcome.form is not None  # an outcome is errors or a form
        return form_card(outcome.form, page=outcome.page)

    on_card_action(app, runtime.engine, OPEN_FORM_ACTION, open_form)
    on_card_action(app, runtime.engine, FORM_CALLBACK, submit)


def _keeping_ballot(form: Form, ballot: str) -> Form:
    """The form shown again carries the ballot of the form the user is filling in (an anonymous form's pages must
    stay one response)."""
    if "ballot" not in form.metadata:
        return form  # a notice: the form is gone meanwhile
    return replace(form, metadata={**form.metadata, "ballot": ballot})


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    _command(app, runtime)
    _card_actions(app, runtime)
