"""The board's decisions in Teams: the buttons that open the decision form in a dialog (the secretary's request,
and `direktion protokoll`'s [Nytt beslut] and [Ändra]), the dialog's submission, and [Skicka sammanfattningarna]
(an Action.Execute answered with the decisions, now final, in the card's place). bot/board/protocol.py decides, as
for Slack."""

import asyncio
import json
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_agents.hosting.msteams.task_module.route_handlers import FetchHandler, SubmitHandler
from microsoft_teams.api.models import TaskModuleRequest, TaskModuleResponse

from bot.board.digests import send_released
from bot.board.protocol import decision_form_for, release_press, submit_decision
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.dialogs import dialog, dialog_data, form_dialog
from handlers.teams.replies import Card, CardAction, Malformed, malformed_text, on_card_action, our_fields
from handlers.teams.request_keys import NONCE, request_key
from messages.board_form import EDIT_ACTIONS, FORM_KIND, NEW_ACTION, RELEASE_ACTION
from messages.teams.card import message_card
from messages.teams.form import SubmissionError, read_submission, submission_metadata


def _value(data: Mapping[str, Any], schema: dict[str, type]) -> dict[str, Any]:
    """Our JSON in a button's value; Malformed otherwise."""
    try:
        value = json.loads(data.get("value") or "")
    except (TypeError, ValueError):
        raise Malformed(f"the value of {data.get('verb')} is not JSON") from None
    return our_fields(value if isinstance(value, dict) else {}, schema)


def _fetch(runtime: Runtime, new: bool) -> FetchHandler[TurnState]:
    async def fetch(context: TurnContext, state: TurnState, request: TaskModuleRequest) -> TaskModuleResponse:
        """The decision form in a dialog for the clicker alone, or why there is none in its place."""
        try:
            target = _value(dialog_data(request), {"meeting": str} if new else {"decision": int})
        except Malformed as error:
            return dialog(malformed_text(context, error))
        form = await asyncio.to_thread(
            decision_form_for,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            now=runtime.clock.now(),
            meeting_id=target.get("meeting"),
            decision_id=target.get("decision"),
        )
        return form_dialog(form)

    return fetch


def _submit(runtime: Runtime) -> SubmitHandler[TurnState]:
    async def submit(context: TurnContext, state: TurnState, request: TaskModuleRequest) -> TaskModuleResponse:
        """The confirmation (or why nothing was stored) in the dialog's place, or the form again with the errors
        under its fields and what was typed."""
        try:
            data = dialog_data(request)
            _, values = read_submission(data)
            metadata = submission_metadata(data)
            meeting_id = our_fields(metadata, {"meeting": str})["meeting"]
            decision, revision = metadata.get("decision"), metadata.get("revision")
            if not all(v is None or (isinstance(v, int) and not isinstance(v, bool)) for v in (decision, revision)):
                raise Malformed(f"the metadata of {FORM_KIND} has a decision or revision that is not a number")
        except (Malformed, SubmissionError) as error:
            return dialog(malformed_text(context, error))
        outcome = await asyncio.to_thread(
            submit_decision,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            now=runtime.clock.now(),
            meeting_id=meeting_id,
            decision_id=decision,
            revision=revision,
            values=values,
            request_key=request_key(context.activity),
        )
        if outcome.errors is None or outcome.form is None:
            return dialog(outcome.text)
        return form_dialog(outcome.form, metadata.get(NONCE), values, outcome.errors)

    return submit


def _release(runtime: Runtime) -> CardAction:
    async def release(context: TurnContext, data: Mapping[str, Any]) -> Card | str:
        """The decisions, now final, in the card's place, the digests sent at once; a refusal to the clicker."""
        meeting_id = _value(data, {"meeting": str})["meeting"]
        answer = await asyncio.to_thread(
            release_press,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            meeting_id=meeting_id,
            now=runtime.clock.now(),
            request_key=request_key(context.activity),
        )
        if isinstance(answer, str):
            return answer
        # A replay sends too: the first request may have ended before its rows went out.
        now = runtime.clock.now()
        runtime.background.submit(send_released, runtime.engine, runtime.senders, runtime.config, meeting_id, now)
        return message_card(answer)

    return release


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    teams.task_modules.fetch(NEW_ACTION)(_fetch(runtime, new=True))
    teams.task_modules.fetch(EDIT_ACTIONS)(_fetch(runtime, new=False))
    teams.task_modules.submit(FORM_KIND)(_submit(runtime))
    on_card_action(app, runtime.engine, RELEASE_ACTION, _release(runtime))
