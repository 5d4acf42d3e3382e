"""The reporting form: built for /synpunkt and the message shortcut, and its submission registered."""

import logging

from slack_bolt import Ack, App

from bot.cases import service
from bot.cases.sending import send_case_messages
from bot.cases.service import InvalidReport, Report
from bot.config.model import AssociationConfig
from bot.replays import Replayed
from bot.runtime import Runtime
from handlers.slack.payload import view_metadata
from handlers.slack.request_keys import request_key
from messages.case_modals import field_errors, notice_modal, report_modal
from messages.render import render

log = logging.getLogger(__name__)


def report_view(config: AssociationConfig, description: str = "", source_link: str | None = None) -> dict:
    """The form with the service catalogue, the departments and the member municipalities to choose from."""
    return report_modal(
        services=[(service.id, service.name) for service in config.services],
        departments=[(department.id, department.name) for department in config.departments],
        members=[(member.id, member.name) for member in config.members],
        description=description,
        source_link=source_link,
    )


def _selected(values: dict, block_id: str) -> str | None:
    option = values.get(block_id, {}).get("value", {}).get("selected_option")
    return option["value"] if option else None


def _typed(values: dict, block_id: str) -> str:
    return values.get(block_id, {}).get("value", {}).get("value") or ""


def parse_report(view: dict, user_id: str) -> Report:
    """The submitted form as a Report; an anonymous one carries neither the user id nor the message link."""
    values = view["state"]["values"]
    kind, _, subject = (_selected(values, "subject") or "").partition(":")
    anonymous = bool(values.get("anonymous", {}).get("value", {}).get("selected_options"))
    sensitive = bool(values.get("sensitive", {}).get("value", {}).get("selected_options"))
    metadata = view_metadata(view, {"source_link": str | None})
    return Report(
        category=_selected(values, "category") or "",
        department_id=subject if kind == "department" else None,
        service_id=subject if kind == "service" else None,
        member_id=_selected(values, "member"),
        description=_typed(values, "description"),
        contact=_typed(values, "contact") or None,
        anonymous=anonymous,
        reporter_user_id=None if anonymous else user_id,
        source_link=None if anonymous else metadata.get("source_link"),
        confidential=sensitive,
    )


def register(app: App, runtime: Runtime) -> None:
    @app.view("case_report")
    def submit_report(ack: Ack, body: dict) -> None:
        now = runtime.clock.now()
        report = parse_report(body["view"], body["user"]["id"])
        try:
            case = service.register(runtime.engine, runtime.config, report, now, request_key=request_key(body))
        except Replayed:
            ack()  # closes the form; the first submission registered the case and sent its receipt
            return
        except InvalidReport as invalid:
            ack(response_action="errors", errors=field_errors(invalid.problems))
            return
        except Exception:
            # Logged without the reporter (who may be anonymous); the form stays open with what was typed.
            log.exception("could not register a report; the reporter was asked to try again")
            ack(response_action="errors", errors=field_errors({"description": "internal_error"}))
            return
        ack(response_action="update", view=notice_modal(render("case_registered", case=case)))
        # The receipt and the triage post go out now rather than at the next tick.
        send_case_messages(runtime.engine, runtime.sender_client, runtime.config, case.id, now)
