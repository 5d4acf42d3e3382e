"""/uppfoljning and the follow-up form: the command's subcommands, the 'Öppna formuläret' button under
invitations and reminders, opening the form (a loading modal first), the chooser, and page submissions."""

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.errors import NotAllowed
from bot.followup import answers, service
from bot.followup.rounds import find_round, round_times
from bot.followup.validation import AnswerInput, InvalidAnswers
from bot.replays import Replayed
from bot.runtime import Runtime
from bot.slack.directory import identify
from handlers.slack.actor import Actor, actor_of
from handlers.slack.payload import MalformedRequest, our_json, selected_value, view_metadata
from handlers.slack.replies import DOMAIN_ERRORS, reply_text, round_calendar
from handlers.slack.request_keys import request_key
from messages.commands import HELP_WORDS
from messages.followup_form import (
    CHOOSER_CALLBACK,
    FORM_CALLBACK,
    OPEN_FORM_ACTION,
    answer_form,
    answers_from,
    chooser_form,
    chosen,
    field_id,
    notice_form,
)
from messages.followup_labels import ERROR_TEXT, STATUS_LABELS, format_number
from messages.form import Form
from messages.render import render
from messages.slack.form import errors_response, modal, read_view
from messages.slack.replies import ephemeral, template_reply
from storage.engine import session_scope

MENTION = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
SUBCOMMANDS = {"status", "historik", "delegera", "rapport"}


def _register_uppfoljning(app: App, runtime: Runtime) -> None:
    @app.command("/uppfoljning")
    def uppfoljning(ack: Ack, command: dict, client: WebClient, respond: Respond, context: BoltContext) -> None:
        word, _, rest = command.get("text", "").strip().partition(" ")
        word = word.casefold()
        if not word:
            ack()
            open_form(runtime, client, command["trigger_id"], actor_of(context), respond=respond)
            return
        if word not in SUBCOMMANDS:
            ack(template_reply("followup_help", unknown="" if word in HELP_WORDS else word))
            return
        # Looking the user up in Slack and compiling a report can take longer than the 3 s Slack waits for
        # the ack, so the answer goes through the response_url.
        ack()
        reply = _reply(runtime, client, word, rest.strip(), actor_of(context), request_key(command))
        if reply is not None:
            respond(**reply)


def _reply(runtime: Runtime, client: WebClient, word: str, rest: str, actor: Actor, key: str) -> dict | None:
    """The reply to a subcommand; None for a command processed before (a replay), which gets no second reply."""
    config, now = runtime.config, runtime.clock.now()
    try:
        person = actor.known()
        with session_scope(runtime.engine) as session:
            if word == "status":
                return template_reply(
                    "followup_status",
                    statuses=service.round_status(session=session, config=config, person=person, now=now),
                )
            if word == "historik":
                view = service.history(session=session, config=config, person=person, text=rest)
                return template_reply("followup_history", view=view, num=format_number, status_labels=STATUS_LABELS)
            if word == "rapport":
                round_ = service.request_report(session=session, config=config, person=person, now=now, request_key=key)
                return template_reply("followup_report_queued", round=round_)
            target = None
            if rest:
                match = MENTION.match(rest)
                target = identify(session, client, config, match.group(1), now) if match else None
                if target is None:
                    return template_reply("followup_unknown_delegate", who=rest)
            handed = service.delegate(
                session=session, config=config, person=person, target=target, now=now, request_key=key
            )
            return template_reply("followup_delegated", handed=handed)
    except Replayed:
        return None
    except DOMAIN_ERRORS as error:
        return ephemeral(reply_text(error, runtime))


log = logging.getLogger(__name__)


def _register_followup_form(app: App, runtime: Runtime) -> None:
    @app.view(FORM_CALLBACK)
    def form_submitted(ack: Ack, body: dict, view: dict, context: BoltContext) -> None:
        ack(**_submit(runtime, actor_of(context), view, request_key(body)))

    @app.view(CHOOSER_CALLBACK)
    def choice_made(ack: Ack, view: dict, context: BoltContext) -> None:
        choice = chosen(selected_value(view, "choice"))
        if choice is None:
            raise MalformedRequest("the option chosen in followup_choose is not round|department")
        round_id, department_id = choice
        ack(response_action="update", view=modal(_form_or_notice(runtime, actor_of(context), round_id, department_id)))


def open_form(
    runtime: Runtime,
    client: WebClient,
    trigger_id: str,
    actor: Actor,
    round_id: str | None = None,
    department_id: str | None = None,
    *,
    respond: Respond,
) -> None:
    """views.open at once (a trigger_id lives 3 s), then fill the modal in with views.update.

    If Slack refuses either, the user is told through the response_url instead of being left without a form."""
    try:
        opened = client.views_open(trigger_id=trigger_id, view=modal(notice_form(render("followup_loading"))))
    except SlackApiError as exc:
        error = exc.response.get("error")
        log.warning("follow-up form for %s not opened: views.open answered %s", actor.user_id, error)
        respond(text=render("followup_form_failed", expired=True), response_type="ephemeral", replace_original=False)
        return
    view_id = opened["view"]["id"]
    view = modal(_form_or_notice(runtime, actor, round_id, department_id))
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as exc:
        log.error("follow-up form for %s not shown: views.update answered %s", actor.user_id, exc.response.get("error"))
        text = render("followup_form_failed", expired=False)
        try:
            client.views_update(view_id=view_id, view=modal(notice_form(text)))
        except SlackApiError:
            log.exception("could not replace the loading modal of %s with a notice either", actor.user_id)
        respond(text=text, response_type="ephemeral", replace_original=False)


def _form_or_notice(runtime: Runtime, actor: Actor, round_id: str | None, department_id: str | None) -> Form:
    """The form to show (page 0 of a department's form, or the chooser), or a notice saying why there is none."""
    config, now = runtime.config, runtime.clock.now()
    try:
        person = actor.known()
        with session_scope(runtime.engine) as session:
            if round_id is None or department_id is None:
                choices = answers.form_choices(session=session, config=config, person=person, now=now)
                if len(choices) > 1:
                    return chooser_form(choices)
                if not choices:
                    return notice_form(_no_round_text(runtime))
                round_id, department_id = choices[0][0].id, choices[0][1].id
            data = answers.form_data(
                session=session, config=config, person=person, round_id=round_id, department_id=department_id, now=now
            )
    except DOMAIN_ERRORS as error:
        return notice_form(reply_text(error, runtime))
    return answer_form(data)


def _no_round_text(runtime: Runtime) -> str:
    return render("followup_no_round", **round_calendar(runtime))


def _submit(runtime: Runtime, actor: Actor, view: dict, key: str) -> dict[str, Any]:
    """The ack for a form page: field errors, the next page, or a confirmation."""
    config, now = runtime.config, runtime.clock.now()
    meta = view_metadata(view, {"round": str, "department": str, "page": int, "pages": int})
    round_id, department_id, page = meta["round"], meta["department"], meta["page"]
    if not 0 <= page < meta["pages"]:
        raise MalformedRequest("private_metadata of followup_form has a page outside its pages")
    inputs = {indicator: AnswerInput(**fields) for indicator, fields in answers_from(read_view(view)).items()}
    try:
        try:
            page_of = {"config": config, "person": actor.known(), "round_id": round_id, "department_id": department_id}
            with session_scope(runtime.engine) as session:
                result = answers.submit(session=session, inputs=inputs, now=now, request_key=key, **page_of)
        except Replayed:  # processed before: the user sees where they are, and nothing is stored again
            result = answers.SubmitResult(duplicate=True)
        if page + 1 < meta["pages"]:
            with session_scope(runtime.engine) as session:
                data = answers.form_data(session=session, now=now, **page_of)
            return {"response_action": "update", "view": modal(answer_form(data), page + 1)}
    except InvalidAnswers as invalid:
        return errors_response(
            {field_id(indicator, field): ERROR_TEXT[code] for (indicator, field), code in invalid.errors.items()}
        )
    except answers.ConcurrentSubmission:
        raise  # the error handler puts its reply under the form's first field, keeping what was typed
    except DOMAIN_ERRORS as error:
        if isinstance(error, NotAllowed):
            log.warning("user %s tried to answer %s for %s without permission", actor.user_id, round_id, department_id)
        return {"response_action": "update", "view": modal(notice_form(reply_text(error, runtime)))}
    department = config.department(department_id)
    round_ = find_round(config, round_id)
    assert round_ is not None  # the service accepted the submission, so the round exists
    times = round_times(config, round_)
    text = render("followup_saved", department=department, result=result, times=times)
    return {"response_action": "update", "view": modal(notice_form(text))}


def _register_followup_open_form(app: App, runtime: Runtime) -> None:
    @app.action(OPEN_FORM_ACTION)
    def open_form_button(
        ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond, context: BoltContext
    ) -> None:
        target = our_json(action.get("value"), {"round": str, "department": str}, f"value of {OPEN_FORM_ACTION}")
        ack()  # after reading the value (instant), so that a broken one is answered in the ack's place
        actor = actor_of(context)
        open_form(runtime, client, body["trigger_id"], actor, target["round"], target["department"], respond=respond)


def register(app: App, runtime: Runtime) -> None:
    _register_uppfoljning(app, runtime)
    _register_followup_form(app, runtime)
    _register_followup_open_form(app, runtime)
