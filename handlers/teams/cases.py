"""`synpunkt` in Teams (the report form as a card), `synpunkt statistik [år]`, the message action "Registrera som
synpunkt" (a message extension: a dialog with the form pre-filled with the message's text and link), and the
report's submission from either. bot/cases/command.py decides, as for Slack's /synpunkt and its shortcut."""

import asyncio
from collections.abc import Mapping
from typing import Any

from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_teams.api.models import TaskModuleResponse

from bot.cases.command import ReportOutcome, register_report, report_form_for, report_of, synpunkt_reply
from bot.cases.sending import send_case_messages
from bot.runtime import Runtime
from handlers.teams.actor import reporter_id
from handlers.teams.commands import on_command
from handlers.teams.dialogs import dialog, form_dialog
from handlers.teams.replies import Card, Malformed, malformed_text, on_card_action, reply, reply_card, text_card
from handlers.teams.request_keys import NONCE, request_key
from messages.case_modals import notice_form
from messages.form import FormValues
from messages.render import render
from messages.teams.form import SubmissionError, form_card, read_submission, submission_metadata
from messages.teams.markup import html_to_text

REPORT_FORM = "case_report"
MESSAGE_ACTION_ID = "registrera_synpunkt"  # the message action's command id in the app package's manifest


async def _register(context: TurnContext, runtime: Runtime, values: FormValues, link: str | None) -> ReportOutcome:
    """Register the report (once per activity), and send its receipt and triage post at once."""
    now = runtime.clock.now()
    report = report_of(values, reporter_id(context), link)
    outcome = await asyncio.to_thread(
        register_report,
        engine=runtime.engine,
        config=runtime.config,
        report=report,
        now=now,
        request_key=request_key(context.activity),
    )
    if outcome.case_id is not None:
        runtime.background.submit(
            send_case_messages, runtime.engine, runtime.senders, runtime.config, outcome.case_id, now
        )
    return outcome


def _link(data: Mapping[str, Any]) -> str | None:
    link = submission_metadata(data).get("source_link")
    if link is not None and not isinstance(link, str):
        raise Malformed("the report form's source_link is not a text")
    return link


def _command(app: AgentApplication[TurnState], runtime: Runtime) -> None:
    @on_command(app, "synpunkt")
    async def synpunkt(context: TurnContext, state: TurnState, argument: str) -> None:
        answer = await asyncio.to_thread(
            synpunkt_reply, engine=runtime.engine, config=runtime.config, text=argument, now=runtime.clock.now()
        )
        if answer is not None:
            await reply(context, answer)
            return
        form = report_form_for(runtime.config)
        await reply_card(context, form_card(form), form.title)

    async def submitted(context: TurnContext, data: Mapping[str, Any]) -> Card:
        _, values = read_submission(data)
        link = _link(data)
        outcome = await _register(context, runtime, values, link)
        if outcome.errors is not None:
            form = report_form_for(runtime.config, source_link=link)
            return form_card(form, values=values, errors=outcome.errors)
        if outcome.confirmation is None:
            return text_card(render("teams_replayed"))
        return form_card(notice_form(outcome.confirmation))

    on_card_action(app, runtime.engine, REPORT_FORM, submitted)


def _message_action(teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    @teams.message_extensions.fetch_action(MESSAGE_ACTION_ID)
    async def fetch(context: TurnContext, state: TurnState, action: object) -> TaskModuleResponse:
        if runtime.config.cases is None:
            return dialog(render("case_not_configured"))
        payload = (context.activity.value or {}).get("messagePayload") or {}
        body = payload.get("body") if isinstance(payload, dict) else None
        content = body.get("content") if isinstance(body, dict) else None
        link = payload.get("linkToMessage") if isinstance(payload, dict) else None
        description = html_to_text(content) if isinstance(content, str) else ""
        return form_dialog(report_form_for(runtime.config, description=description, source_link=link or None))

    @teams.message_extensions.submit_action(MESSAGE_ACTION_ID)
    async def submit(context: TurnContext, state: TurnState, action: object) -> TaskModuleResponse:
        data = (context.activity.value or {}).get("data")
        try:
            if not isinstance(data, dict):
                raise Malformed("the dialog's data is not an object")
            _, values = read_submission(data)
            link = _link(data)
        except (Malformed, SubmissionError) as error:
            return dialog(malformed_text(context, error))
        outcome = await _register(context, runtime, values, link)
        if outcome.errors is not None:
            form = report_form_for(runtime.config, source_link=link)
            return form_dialog(form, submission_metadata(data).get(NONCE), values, outcome.errors)
        return dialog(outcome.confirmation or render("teams_replayed"))


def register(app: AgentApplication[TurnState], teams: TeamsAgentExtension[TurnState], runtime: Runtime) -> None:
    _command(app, runtime)
    _message_action(teams, runtime)
