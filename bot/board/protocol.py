"""`/direktion protokoll` and the decision form, for any chat platform: a meeting's decisions with their buttons,
the form a button opens (a new decision, or an edit), what a submitted form leads to, and the release of the
digests. The platform's handler reads its payload, calls these and renders what they return."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.asker import Asker
from bot.board import decisions as service
from bot.board.decision_input import InvalidDecision
from bot.board.digests import DecisionView, decision_view, release_digests
from bot.config.model import AssociationConfig, Event, Person
from bot.people import user_platform
from bot.permissions import Action, may, require
from bot.replays import Replayed
from bot.replies import DOMAIN_ERRORS, error_text
from messages.board_form import (
    FIELD_LABELS,
    PROTOCOL_BUTTONS_ID,
    ShownDecision,
    decision_form,
    decision_values,
    field_errors,
    protocol_buttons,
)
from messages.form import FieldErrors, Form, FormValues
from messages.message import Message
from messages.render import render
from storage.board import BoardDecision
from storage.engine import session_scope

if TYPE_CHECKING:  # bot/board/command.py registers protocol_reply, so it cannot be imported here at run time
    from bot.board.command import BoardRequest

log = logging.getLogger(__name__)
T = TypeVar("T")
# The form's field (messages/board_form.py) each stored column is typed in.
FIELD_OF = {
    "concerns_all": "concerns",
    "member_ids": "concerns",
    "department_ids": "concerns",
    "public": "visibility",
    "withdrawn_at": "withdraw",
}


@dataclass(frozen=True)
class ProtocolLine:
    id: int
    view: DecisionView
    withdrawn: bool


def protocol_message(
    session: Session, config: AssociationConfig, person: Person, meeting: Event, note: str = ""
) -> Message:
    """The meeting's decisions as they stand, with [Ändra] per decision, [Nytt beslut] and, for whoever may
    send them, [Skicka sammanfattningarna]; no buttons once the digests are released. `note` leads (markup)."""
    rows = service.meeting_decisions(session, meeting.id, withdrawn=True)
    lines = [ProtocolLine(row.id or 0, decision_view(config, row), row.withdrawn_at is not None) for row in rows]
    release = service.release_of(session, meeting.id)
    may_release = may(config, person, Action.RELEASE_BOARD_DIGESTS)
    text = render("board_protocol", meeting=meeting, lines=lines, release=release, may_release=may_release, note=note)
    if release is not None:
        return Message(text=text)
    editable = [(line.id, line.view.position) for line in lines if not line.withdrawn]
    buttons = protocol_buttons(meeting.id, editable, release=may_release and bool(editable))
    return Message(text=text, buttons=buttons, buttons_id=f"{PROTOCOL_BUTTONS_ID}:{meeting.id}")


def protocol_reply(request: "BoardRequest") -> Message:
    """`/direktion protokoll [meeting id]`: the meeting's decisions (by default the latest held meeting whose
    digests are not released) for the secretary or the director."""
    person = require(request.config, request.asker.known(), Action.RECORD_BOARD_DECISIONS)
    with session_scope(request.engine) as session:
        if request.rest:
            meeting = service.held_meeting(request.config, request.rest.split()[0], request.now)
        else:
            meeting = service.latest_open_meeting(session, request.config, request.now)
        return protocol_message(session, request.config, person, meeting)


def _attempt(asker: Asker, work: Callable[[], T], config: AssociationConfig, now: datetime) -> T | str:
    """Run `work`; a domain error as its Swedish text. Anything unexpected is logged with its traceback for the
    operator and answered with the Swedish apology, so the user is never left with silence."""
    try:
        return work()
    except DOMAIN_ERRORS as error:
        return error_text(error, config, now)
    except (Replayed, InvalidDecision):
        raise
    except Exception:
        platform = user_platform(asker.user_id).value.capitalize()
        log.exception("a board decision step for %s user %s failed", platform, asker.user_id)
        return render("internal_error")


def _shown(row: BoardDecision) -> ShownDecision:
    assert row.id is not None  # a stored decision
    return ShownDecision(
        id=row.id,
        revision=row.revision,
        title=row.title,
        summary=row.summary,
        concerns_all=row.concerns_all,
        member_ids=tuple(service.member_ids(row)),
        department_ids=tuple(service.department_ids(row)),
        public=row.public,
        owner=row.owner,
        due=row.due.isoformat() if row.due else "",
        case_number=row.case_number or "",
    )


def _form_for(config: AssociationConfig, meeting: Event, row: BoardDecision | None) -> Form:
    heading = render("board_protocol_form", meeting=meeting, position=row.position if row else None)
    return decision_form(
        meeting_id=meeting.id,
        heading=heading,
        members=[(member.id, member.name) for member in config.members],
        departments=[(department.id, department.name) for department in config.departments],
        people=[(person.id, person.name) for person in config.people],
        decision=_shown(row) if row is not None else None,
    )


def decision_form_for(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    meeting_id: str | None = None,
    decision_id: int | None = None,
) -> Form | str:
    """The form for a new decision of the meeting, or for editing the decision; the Swedish refusal otherwise."""

    def form() -> Form:
        require(config, asker.known(), Action.RECORD_BOARD_DECISIONS)
        with session_scope(engine) as session:
            row = session.get(BoardDecision, decision_id) if decision_id is not None else None
            if decision_id is not None and row is None:
                raise service.BoardRefused(service.Refusal.UNKNOWN_DECISION)
            meeting = service.held_meeting(config, row.meeting_id if row else meeting_id or "", now)
            release = service.release_of(session, meeting.id)
            if release is not None:
                raise service.BoardRefused(service.Refusal.RELEASED, meeting, release.released_at)
            if row is not None and row.withdrawn_at is not None:
                raise service.BoardRefused(service.Refusal.WITHDRAWN, meeting)
            return _form_for(config, meeting, row)

    return _attempt(asker, form, config, now)


@dataclass(frozen=True)
class Submitted:
    """What a submitted decision form leads to: Swedish errors under its fields (and the form to show them in,
    with what was typed), or a text in the form's place: the confirmation, or why nothing was stored."""

    errors: FieldErrors | None = None
    form: Form | None = None
    text: str = ""


def submit_decision(
    *,
    engine: Engine,
    config: AssociationConfig,
    asker: Asker,
    now: datetime,
    meeting_id: str,
    decision_id: int | None,
    revision: int | None,
    values: FormValues,
    request_key: str,
) -> Submitted:
    """Store the submitted decision (a new one of the meeting, or the edit of `decision_id` opened at `revision`),
    once per request key."""
    typed = decision_values(values)

    def store() -> str:
        person = asker.known()
        with session_scope(engine) as session:
            if decision_id is None:
                row = service.add_decision(
                    session=session,
                    config=config,
                    person=person,
                    meeting_id=meeting_id,
                    typed=typed,
                    now=now,
                    request_key=request_key,
                )
                return render("board_protocol_saved", outcome="added", decision=decision_view(config, row))
            edited = service.edit_decision(
                session=session,
                config=config,
                person=person,
                decision_id=decision_id,
                revision=revision or 0,
                typed=typed,
                now=now,
                request_key=request_key,
            )
        outcome = "withdrawn" if typed.withdraw else "changed" if edited.changes else "unchanged"
        changed = dict.fromkeys(FIELD_LABELS[FIELD_OF.get(name, name)] for name in edited.changes)
        shown = decision_view(config, edited.decision)
        return render("board_protocol_saved", outcome=outcome, decision=shown, changed=list(changed))

    try:
        text = _attempt(asker, store, config, now)
    except Replayed:
        return Submitted(text=render("board_protocol_saved", outcome="replayed"))
    except InvalidDecision as invalid:
        form = decision_form_for(
            engine=engine, config=config, asker=asker, now=now, meeting_id=meeting_id, decision_id=decision_id
        )
        if isinstance(form, str):
            return Submitted(text=form)
        return Submitted(errors=field_errors(invalid.problems), form=form)
    return Submitted(text=text)


def release_press(
    *, engine: Engine, config: AssociationConfig, asker: Asker, meeting_id: str, now: datetime, request_key: str
) -> Message | str:
    """[Skicka sammanfattningarna]: the meeting's decisions, now final, under what was sent to whom; the Swedish
    refusal (nothing sent) otherwise. A replay or a double-click sends nothing more and shows the decisions."""

    def release() -> Message:
        person = asker.known()
        try:
            with session_scope(engine) as session:
                released = release_digests(
                    session=session,
                    config=config,
                    person=person,
                    meeting_id=meeting_id,
                    now=now,
                    request_key=request_key,
                )
            note = render("board_protocol_released", released=released)
        except Replayed:
            note = ""
        with session_scope(engine) as session:
            meeting = service.held_meeting(config, meeting_id, now)
            return protocol_message(session, config, person, meeting, note)

    return _attempt(asker, release, config, now)
