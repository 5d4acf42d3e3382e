"""A form in a Teams dialog (task module), for the message action (composeExtension/fetchTask, submitAction) and
for a card's dialog buttons (task/fetch, task/submit): the form's card as a dialog shows it, the form named by a
nonce (a dialog's submission has no card to tell it by), and the answers that show the dialog, put a message in
its place, or close it."""

import dataclasses
import secrets
from collections.abc import Mapping
from typing import Any

from microsoft_agents.activity import Activity, ActivityTypes, InvokeResponse
from microsoft_agents.hosting.core import TurnContext
from microsoft_teams.api.models import (
    Attachment,
    CardTaskModuleTaskInfo,
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleRequest,
    TaskModuleResponse,
)

from handlers.teams.replies import Card, Malformed
from handlers.teams.request_keys import NONCE
from messages.form import FieldErrors, Form, FormValues
from messages.teams.card import CARD_CONTENT_TYPE
from messages.teams.form import form_card
from messages.teams.markup import to_plain_text


def dialog_card(card: Card) -> Card:
    """A form card for a dialog, where Teams sends Action.Submit (not Action.Execute): each action its fallback."""
    actions = [action.get("fallback", action) for action in card.get("actions", [])]
    return {**card, "actions": actions} if actions else card


def with_nonce(form: Form, nonce: object = None) -> Form:
    """`form` for a dialog, named by a nonce in its metadata: `nonce` when it is one that came back, else a new
    one (the same dialog submitted twice with the same values is one submission: handlers/teams/request_keys.py)."""
    nonce = nonce if isinstance(nonce, str) and nonce else secrets.token_urlsafe(16)
    return dataclasses.replace(form, metadata={**form.metadata, NONCE: nonce})


def dialog(answer: Card | str, title: str = "") -> TaskModuleResponse:
    """The dialog showing the form card `answer` under `title`, or the text `answer` (markup) in its place."""
    if isinstance(answer, str):
        return TaskModuleResponse(task=TaskModuleMessageResponse(value=to_plain_text(answer)))
    card = Attachment(content_type=CARD_CONTENT_TYPE, content=dialog_card(answer))
    return TaskModuleResponse(task=TaskModuleContinueResponse(value=CardTaskModuleTaskInfo(title=title, card=card)))


def form_dialog(
    form: Form | str, nonce: object = None, values: FormValues | None = None, errors: FieldErrors | None = None
) -> TaskModuleResponse:
    """The dialog showing `form` under its title (named by `nonce` when one came back, else a new one: with_nonce),
    with `values` as typed and `errors` under their fields; a text (a refusal, a confirmation) in the form's place."""
    if isinstance(form, str):
        return dialog(form)
    form = with_nonce(form, nonce)
    return dialog(form_card(form, values=values, errors=errors), form.title)


async def answer_dialog(context: TurnContext, response: TaskModuleResponse | None) -> None:
    """Answer a dialog's invoke with `response`; with None, with nothing: Teams closes the dialog."""
    body = response.model_dump(mode="json", by_alias=True, exclude_none=True) if response is not None else None
    answer = InvokeResponse(status=200, body=body)
    await context.send_activity(Activity(type=ActivityTypes.invoke_response, value=answer))


def dialog_data(request: TaskModuleRequest) -> Mapping[str, Any]:
    """The data of a task/fetch (the dialog button's) or task/submit (the dialog's form and its inputs)."""
    if not isinstance(request.data, Mapping):
        raise Malformed("the dialog's data is not an object")
    return request.data
