"""Running one case step for a Slack user: identify them, call the service, turn refusals into Swedish text."""

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from slack_sdk import WebClient
from sqlmodel import Session

from bot.cases.service import CaseRefused, InvalidReport
from bot.config.model import Person
from bot.directory import identify
from bot.errors import NotAllowed
from bot.replays import Replayed
from bot.runtime import Runtime
from handlers.slack.payload import MalformedRequest
from messages.case_modals import field_errors
from messages.render import render
from storage.engine import session_scope

log = logging.getLogger(__name__)
T = TypeVar("T")


def perform(
    runtime: Runtime, client: WebClient, user_id: str, step: Callable[[Session, Person | None, datetime], T]
) -> tuple[T | None, str | None]:
    """(what the step returned, None), or (None, why it was refused, in Swedish); a refused step changes nothing.

    (None, None) when the request was processed before (a replay or a double-click): the caller acks quietly.

    Anything unexpected (Slack, the database, a bug) is logged with its traceback for the operator and refused
    with the Swedish apology, so the user is never left with Slack's generic error or with silence.
    """
    now = runtime.clock.now()
    try:
        with session_scope(runtime.engine) as session:
            person = identify(session, client, runtime.config, user_id, now)
            return step(session, person, now), None
    except Replayed:
        return None, None
    except NotAllowed as refusal:
        return None, render("not_allowed", what=refusal.what)
    except CaseRefused as refusal:
        return None, render("case_refused", reason=refusal.reason, number=refusal.number, detail=refusal.detail)
    except InvalidReport as invalid:
        return None, " ".join(field_errors(invalid.problems).values())
    except Exception:
        log.exception("a case step for Slack user %s failed", user_id)
        return None, render("internal_error")


def case_id_of(action: dict) -> int:
    """The case id a triage button carries: '12', or '12:on' / '12:off' on the confidentiality button."""
    number = (action.get("value") or "").partition(":")[0]
    if not number.isdigit():
        raise MalformedRequest(f"the value of {action['action_id']} is not a case id")
    return int(number)


def confidentiality_of(action: dict) -> bool | None:
    """What the confidentiality button asks for; None on a button posted before it said so (then it toggles)."""
    return {"on": True, "off": False}.get((action.get("value") or "").partition(":")[2])
