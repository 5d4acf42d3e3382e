"""Opening a form in a Slack modal from a command, a button or a shortcut, the one way every handler does it.

The modal opens at once with a loading notice (a trigger_id lives 3 s, and finding out who asks and what to show
may take longer), then the form takes its place. When Slack refuses to open the modal, the user is told in Swedish
(ephemerally, or in their chat with the app when the request has no response_url, as from the Home tab); when it
refuses the form, the loading notice is replaced by that text too, so no modal is left loading. The operator gets a
log line with Slack's error and never the user (an anonymous survey must not tie a person to a moment).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from handlers.slack.replies import tell
from messages.form import Form, notice
from messages.render import render
from messages.slack.form import modal

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ModalRequest:
    """Where a modal opens and whom to tell when it cannot: the request's trigger, user and response_url."""

    client: WebClient
    trigger_id: str
    user_id: str
    respond: Respond | None


def generic_failure(expired: bool) -> str:
    """The Swedish text for a form that did not open (`expired`: Slack's seconds ran out) or could not be shown."""
    return render("form_failed", expired=expired)


def open_form(
    request: ModalRequest,
    loading: Form | None,
    form: Callable[[], Form | str],
    what: str,
    failed: Callable[[bool], str] = generic_failure,
) -> None:
    """Open `loading` at once, then show what `form()` builds: a form, or a text (a refusal, or why there is none)
    in its place (`loading` None: the form is at hand at once, built from the configuration alone, and opens as it
    is); `what` names the form in the log, `failed(expired)` is the user's text when Slack refuses."""
    client = request.client
    try:
        opened = client.views_open(trigger_id=request.trigger_id, view=modal(loading or _as_form(form(), None)))
    except SlackApiError as exc:
        log.warning("%s not opened: views.open answered %s", what, exc.response.get("error"))
        tell(request.respond, client, request.user_id, failed(True))
        return
    if loading is None:
        return
    view_id = opened["view"]["id"]
    try:
        client.views_update(view_id=view_id, view=modal(_as_form(form(), loading)))
    except SlackApiError as exc:
        log.error("%s not shown: views.update answered %s", what, exc.response.get("error"))
        text = failed(False)
        try:
            client.views_update(view_id=view_id, view=modal(notice(loading.title, text)))
        except SlackApiError:
            log.exception("%s: the loading modal could not be replaced by a notice either", what)
        tell(request.respond, client, request.user_id, text)


def _as_form(built: Form | str, loading: Form | None) -> Form:
    if isinstance(built, Form):
        return built
    if loading is None:
        raise TypeError("a form opened without a loading notice must be a Form")
    return notice(loading.title, built)
