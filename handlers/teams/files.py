"""The user's answer to a file consent card (fileConsent/invoke): accept uploads the file to the upload URL Teams
gave and shows it in the chat; decline leaves a Swedish note. The work is bot.teams.files'; this module only reads
the invoke and answers in the chat."""

import asyncio
import logging

from microsoft_agents.activity import Activity
from microsoft_agents.hosting.core import AgentApplication, TurnContext, TurnState
from microsoft_agents.hosting.msteams import TeamsAgentExtension
from microsoft_teams.api.models import FileConsentCardResponse

from bot.replays import Replayed
from bot.runtime import Runtime
from bot.teams.files import (
    Consent,
    FileNotAvailable,
    UploadFailed,
    consent_activity,
    file_info_activity,
    offered_file,
    upload_consented,
)
from messages.message import Message
from messages.render import render
from messages.teams.card import message_activity

log = logging.getLogger(__name__)


async def _say(context: TurnContext, template: str, **values: object) -> None:
    """A Swedish note in the chat the invoke came from."""
    activity = message_activity(Message(text=render(template, **values)))
    await context.send_activity(Activity.model_validate(activity))


def _conversation_id(context: TurnContext) -> str:
    return context.activity.conversation.id if context.activity.conversation else ""


async def accepted(context: TurnContext, runtime: Runtime, response: FileConsentCardResponse) -> None:
    """Upload the file (once, whatever Teams replays) and show its file card; say what went wrong otherwise."""
    consent = Consent.read(response.context)
    upload = response.upload_info
    if consent is None or upload is None or not upload.upload_url:
        log.warning("a file consent accept without our context or an upload URL; nothing uploaded")
        await _say(context, "teams_file_gone", followup=False)
        return
    conversation_id = _conversation_id(context)
    now = runtime.clock.now()
    try:
        offered = await asyncio.to_thread(
            upload_consented, runtime.engine, consent, conversation_id, upload.upload_url, now
        )
    except Replayed:
        return  # uploaded before: Teams sent the accept again
    except FileNotAvailable as exc:
        log.warning("file consent accepted for a file that is not available: %s", exc)
        await _say(context, "teams_file_gone", followup=False)
        return
    except UploadFailed as exc:
        log.error("delivery %s: the upload of file %s failed (%s)", consent.delivery_id, consent.index, exc)
        offered = await asyncio.to_thread(offered_file, runtime.engine, consent, conversation_id)
        await _say(context, "teams_file_upload_failed", filename=offered.file.filename)
        await context.send_activity(
            Activity.model_validate(consent_activity(consent.delivery_id, consent.index, offered.file))
        )
        return
    name = upload.name or offered.file.filename
    card = file_info_activity(name, upload.content_url or "", upload.unique_id, upload.file_type)
    await context.send_activity(Activity.model_validate(card))


async def declined(context: TurnContext, runtime: Runtime, response: FileConsentCardResponse) -> None:
    """A note that the file was not saved, and how to get it again."""
    consent = Consent.read(response.context)
    try:
        if consent is None:
            raise FileNotAvailable("a file consent decline without our context")
        offered = await asyncio.to_thread(offered_file, runtime.engine, consent, _conversation_id(context))
    except FileNotAvailable as exc:
        log.info("file consent declined: %s", exc)
        await _say(context, "teams_file_gone", followup=False)
        return
    await _say(context, "teams_file_declined", filename=offered.file.filename, followup=offered.followup)


def register(app: AgentApplication, teams: TeamsAgentExtension, runtime: Runtime) -> None:
    """The fileConsent/invoke routes; the SDK answers the invoke with 200 after the handler."""

    @teams.file_consent.accept
    async def on_accept(context: TurnContext, state: TurnState, response: FileConsentCardResponse) -> None:
        await accepted(context, runtime, response)

    @teams.file_consent.decline
    async def on_decline(context: TurnContext, state: TurnState, response: FileConsentCardResponse) -> None:
        await declined(context, runtime, response)
