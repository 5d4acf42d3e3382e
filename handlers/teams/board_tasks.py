"""A decision task's Rapportera button in Teams and the report form it opens, as cards: the form in the clicked
card's place, and after a submission the errors under their fields (with what was typed) or the confirmation.
bot/board/task_command.py decides, as for Slack."""

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension

from bot.board.task_command import report_form, submit_report
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.replies import Card, Malformed, on_card_action, our_fields
from handlers.teams.request_keys import request_key
from messages.board_task_form import REPORT_ACTIONS, REPORT_FORM
from messages.form import Form
from messages.teams.form import form_card, read_submission, submission_metadata


def _decision_id(data: Mapping[str, Any]) -> int:
    """The decision a Rapportera button names (its value, JSON); Malformed otherwise."""
    try:
        value = json.loads(data.get("value") or "")
    except (TypeError, ValueError):
        raise Malformed("the value of a report button is not JSON") from None
    return our_fields(value if isinstance(value, dict) else {}, {"decision": int})["decision"]


def _card_actions(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    async def form(context: TurnContext, decision_id: int) -> Form:
        """The task's report form for the asker now, or the notice saying why there is none."""
        return await asyncio.to_thread(
            report_form,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            decision_id=decision_id,
            now=runtime.clock.now(),
        )

    async def open_form(context: TurnContext, data: Mapping[str, Any]) -> Card:
        """The button: the task's form (or the notice saying why there is none) in the clicked card's place."""
        return form_card(await form(context, _decision_id(data)))

    async def submit(context: TurnContext, data: Mapping[str, Any]) -> Card:
        _, values = read_submission(data)
        decision_id = our_fields(submission_metadata(data), {"decision": int})["decision"]
        outcome = await asyncio.to_thread(
            submit_report,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            decision_id=decision_id,
            values=values,
            now=runtime.clock.now(),
            request_key=request_key(context.activity),
        )
        if outcome.errors is not None:
            shown = await form(context, decision_id)
            return form_card(shown, values=values, errors=outcome.errors) if shown.submit else shown
        assert outcome.form is not None  # an outcome is errors or a form
        return form_card(outcome.form)

    on_card_action(app, runtime.engine, REPORT_ACTIONS, open_form)
    on_card_action(app, runtime.engine, REPORT_FORM, submit)


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    _card_actions(app, runtime)
