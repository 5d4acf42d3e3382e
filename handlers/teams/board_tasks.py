"""A decision task's Rapportera button in Teams and the report form it opens in a dialog, for the clicker alone
(the card the button is on, a reminder or `/direktion uppgifter`, stays as it is); after a submission the
confirmation (or why nothing was stored) in the dialog's place, or the form again with the errors under its fields
and what was typed. bot/board/task_command.py decides, as for Slack."""

import asyncio
import json

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_agents.hosting.msteams.task_module.route_handlers import FetchHandler, SubmitHandler
from microsoft_teams.api.models import TaskModuleRequest, TaskModuleResponse

from bot.board.task_command import report_form, submit_report
from bot.runtime import Runtime
from handlers.teams.asker import asker_of
from handlers.teams.dialogs import dialog, dialog_data, form_dialog
from handlers.teams.replies import Malformed, malformed_text, our_fields
from handlers.teams.request_keys import NONCE, request_key
from messages.board_task_form import REPORT_ACTIONS, REPORT_FORM
from messages.teams.form import SubmissionError, read_submission, submission_metadata


def _decision_id(value: object) -> int:
    """The decision a Rapportera button names (its value, JSON); Malformed otherwise."""
    try:
        found = json.loads(value if isinstance(value, str) else "")
    except ValueError:
        raise Malformed("the value of a report button is not JSON") from None
    return our_fields(found if isinstance(found, dict) else {}, {"decision": int})["decision"]


def _fetch(runtime: Runtime) -> FetchHandler[TurnState]:
    async def fetch(context: TurnContext, state: TurnState, request: TaskModuleRequest) -> TaskModuleResponse:
        """The task's report form in a dialog, or why there is none in its place."""
        try:
            decision_id = _decision_id(dialog_data(request).get("value"))
        except Malformed as error:
            return dialog(malformed_text(context, error))
        form = await asyncio.to_thread(
            report_form,
            engine=runtime.engine,
            config=runtime.config,
            asker=asker_of(context, runtime),
            decision_id=decision_id,
            now=runtime.clock.now(),
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
            decision_id = our_fields(metadata, {"decision": int})["decision"]
        except (Malformed, SubmissionError) as error:
            return dialog(malformed_text(context, error))
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
        if outcome.errors is None or outcome.form is None:
            return dialog(outcome.text)
        return form_dialog(outcome.form, metadata.get(NONCE), values, outcome.errors)

    return submit


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    teams.task_modules.fetch(REPORT_ACTIONS)(_fetch(runtime))
    teams.task_modules.submit(REPORT_FORM)(_submit(runtime))
