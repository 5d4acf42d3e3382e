"""The follow-up service: forms, submissions with revisions, status, delegation and history.

Every function checks who is asking; the chat edge only renders what comes back.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.config.followup_model import FollowupRound, Goal, Indicator
from bot.config.model import AssociationConfig, Department, Person
from bot.delivery.keys import Ask
from bot.errors import NotAllowed
from bot.followup import access
from bot.followup.notices import QUALITY_MANAGER, ask_rows, summary_rows
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import (
    RoundTimes,
    all_indicators,
    find_round,
    indicators_for,
    is_open,
    open_rounds,
    previous_round,
    round_times,
    rounds_in_order,
)
from bot.followup.summary import compile_summary
from bot.followup.validation import AnswerInput, CleanAnswer, clean_answers
from bot.replays import claim
from storage import followup as store
from storage import outbox
from storage.followup import FollowupAnswer, FollowupRevision

ANSWER_FIELDS = ("status", "value_number", "value_text", "comment", "actions")


class RoundNotOpen(Exception):
    """The round is unknown, not yet open, or closed."""


class ConcurrentSubmission(Exception):
    """Answers for the department kept changing under a submission; the user should save again."""


class NoDeputy(Exception):
    """A hand-over without a named person, for a department without a configured deputy."""


class UnknownIndicator(Exception):
    """No indicator matches the text; `choices` lists the known ones."""

    def __init__(self, text: str, choices: list[Indicator]):
        super().__init__(text)
        self.text = text
        self.choices = choices


@dataclass(frozen=True)
class FormItem:
    goal: Goal
    indicator: Indicator
    current: FollowupAnswer | None
    previous: FollowupAnswer | None


@dataclass(frozen=True)
class FormData:
    round: FollowupRound
    department: Department
    times: RoundTimes
    previous_round: FollowupRound | None
    items: list[FormItem]


@dataclass
class SubmitResult:
    duplicate: bool = False
    changed: list[str] = field(default_factory=list)
    unanswered: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class DepartmentStatus(Progress):
    responder: Person


@dataclass(frozen=True)
class RoundStatus:
    round: FollowupRound
    times: RoundTimes
    departments: list[DepartmentStatus]


@dataclass(frozen=True)
class HistoryView:
    goal: Goal
    indicator: Indicator
    rows: list[tuple[FollowupRound, list[tuple[Department, FollowupAnswer]]]]


def _open_round(config: AssociationConfig, round_id: str, now: datetime) -> FollowupRound:
    round_ = find_round(config, round_id)
    if round_ is None or not is_open(config, round_, now):
        raise RoundNotOpen(round_id)
    return round_


def _department(config: AssociationConfig, department_id: str) -> Department:
    try:
        return config.department(department_id)
    except KeyError:
        raise NotAllowed("lämna uppföljning för en okänd avdelning") from None


def _require_answerer(
    session: Session, config: AssociationConfig, person: Person | None, round_id: str, department: Department
) -> None:
    delegations = store.delegations(session, [round_id])
    if not access.may_answer(config, person, round_id, department, delegations):
        raise NotAllowed(f"lämna uppföljning för {department.name}")


def form_choices(
    session: Session, config: AssociationConfig, person: Person | None, now: datetime
) -> list[tuple[FollowupRound, Department]]:
    """Every (open round, department) the person may answer for."""
    rounds = open_rounds(config, now)
    delegations = store.delegations(session, [round_.id for round_ in rounds])
    return [
        (round_, department)
        for round_ in rounds
        for department in access.answerable_departments(config, person, round_.id, delegations)
        if indicators_for(config, department.id)
    ]


def form_data(
    session: Session, config: AssociationConfig, person: Person | None, round_id: str, department_id: str, now: datetime
) -> FormData:
    """What the form shows: each indicator with this round's answer so far and last round's answer."""
    round_ = _open_round(config, round_id, now)
    department = _department(config, department_id)
    _require_answerer(session, config, person, round_id, department)
    before = previous_round(config, round_)
    rounds = [round_.id] + ([before.id] if before else [])
    answers = {(a.round_id, a.indicator_id): a for a in store.answers_for(session, rounds, department_id)}
    items = [
        FormItem(
            goal=goal,
            indicator=indicator,
            current=answers.get((round_.id, indicator.id)),
            previous=answers.get((before.id, indicator.id)) if before else None,
        )
        for goal, indicator in indicators_for(config, department_id)
    ]
    return FormData(round_, department, round_times(config, round_), before, items)


def _changes(old: FollowupAnswer | None, new: CleanAnswer) -> dict[str, list]:
    changes = {}
    for name in ANSWER_FIELDS:
        before = getattr(old, name) if old is not None else None
        after = getattr(new, name)
        if before != after:
            changes[name] = [before, after]
    return changes


def submit(
    session: Session,
    config: AssociationConfig,
    person: Person | None,
    round_id: str,
    department_id: str,
    inputs: dict[str, AnswerInput],
    now: datetime,
    *,
    request_key: str | None = None,
) -> SubmitResult:
    """Validate and store one form page; each changed answer gets a revision. A replayed request raises Replayed."""
    round_ = _open_round(config, round_id, now)
    department = _department(config, department_id)
    _require_answerer(session, config, person, round_id, department)
    assert person is not None
    indicators = {indicator.id: indicator for _, indicator in indicators_for(config, department_id)}
    cleaned = clean_answers(indicators, {key: raw for key, raw in inputs.items() if key in indicators})
    claim(session, request_key, now)
    ids = list(indicators)
    try:
        with session.begin_nested():
            return _store_answers(session, round_.id, department_id, ids, cleaned, person, now)
    except IntegrityError:
        # Someone saved answers for the department meanwhile (head and deputy at once): read theirs afresh
        # and apply these on top as new revisions.
        session.expire_all()
    try:
        with session.begin_nested():
            return _store_answers(session, round_.id, department_id, ids, cleaned, person, now)
    except IntegrityError:
        raise ConcurrentSubmission(department.name) from None


def _store_answers(
    session: Session,
    round_id: str,
    department_id: str,
    indicator_ids: list[str],
    cleaned: list[CleanAnswer],
    person: Person,
    now: datetime,
) -> SubmitResult:
    """Write each changed answer with a revision; a concurrent writer makes the flush raise IntegrityError."""
    existing = {a.indicator_id: a for a in store.answers_for(session, [round_id], department_id)}
    result = SubmitResult()
    for answer in cleaned:
        old = existing.get(answer.indicator_id)
        changes = _changes(old, answer)
        if not changes:
            continue
        if old is None:
            old = FollowupAnswer(
                round_id=round_id,
                department_id=department_id,
                indicator_id=answer.indicator_id,
                revision=0,
                submitted_by=person.id,
                submitted_at=now,
                status=answer.status,
            )
            session.add(old)
            existing[answer.indicator_id] = old
        for name in ANSWER_FIELDS:
            setattr(old, name, getattr(answer, name))
        old.revision += 1
        old.submitted_by, old.submitted_at = person.id, now
        session.add(
            FollowupRevision(
                round_id=round_id,
                department_id=department_id,
                indicator_id=answer.indicator_id,
                revision=old.revision,
                submitted_by=person.id,
                submitted_at=now,
                changes=json.dumps(changes, ensure_ascii=False),
            )
        )
        result.changed.append(answer.indicator_id)
    session.flush()
    result.unanswered = [indicator_id for indicator_id in indicator_ids if indicator_id not in existing]
    return result


def round_status(
    session: Session, config: AssociationConfig, person: Person | None, now: datetime
) -> list[RoundStatus]:
    """Who has answered each open round: every department for the overseers, one's own for the others."""
    rounds = open_rounds(config, now)
    round_ids = [round_.id for round_ in rounds]
    delegations = store.delegations(session, round_ids)
    everything = access.sees_everything(config, person)
    answered = store.answered_pairs(session, round_ids)
    statuses = []
    for round_ in rounds:
        departments = [
            DepartmentStatus(
                progress.department,
                progress.answered,
                progress.total,
                access.responder(config, round_.id, progress.department, delegations),
            )
            for progress in round_progress(config, round_.id, answered)
            if everything or access.may_answer(config, person, round_.id, progress.department, delegations)
        ]
        if departments:
            statuses.append(RoundStatus(round_, round_times(config, round_), departments))
    if rounds and not statuses:
        raise NotAllowed("se uppföljningens status")
    return statuses


def delegate(
    session: Session,
    config: AssociationConfig,
    person: Person | None,
    target: Person | None,
    now: datetime,
    *,
    request_key: str | None = None,
) -> list[tuple[FollowupRound, Department, Person]]:
    """Hand every open round of the caller's departments to `target`, or to the configured deputy."""
    rounds = open_rounds(config, now)
    if not rounds:
        raise RoundNotOpen("")
    headed = [d for d in config.departments if person is not None and d.head == person.id]
    if not headed:
        raise NotAllowed("delegera uppföljningen; det kan bara avdelningschefen")
    assert person is not None
    chosen_for = {}
    for department in headed:
        chosen = target or (config.person(department.deputy) if department.deputy else None)
        if chosen is None:
            raise NoDeputy(department.name)
        chosen_for[department.id] = chosen
    claim(session, request_key, now)
    handed = []
    for department in headed:
        chosen = chosen_for[department.id]
        for round_ in rounds:
            store.set_delegation(session, round_.id, department.id, chosen.id, person.id, now)
            rows = ask_rows(config, round_, department, chosen, Ask.DELEGATED, now, person, step=chosen.id)
            outbox.enqueue(session, rows)
            handed.append((round_, department, chosen))
    return handed


def request_report(
    session: Session, config: AssociationConfig, person: Person | None, now: datetime, *, request_key: str | None = None
) -> FollowupRound:
    """Compile the open (or latest opened) round now and queue it to the quality manager and the board."""
    if person is None or person.id != config.roles.get(QUALITY_MANAGER):
        raise NotAllowed("ta fram uppföljningens rapport; det gör kvalitetschefen")
    started = [round_ for round_ in rounds_in_order(config) if round_times(config, round_).opens_at <= now]
    if not started:
        raise RoundNotOpen("")
    candidates = [round_ for round_ in started if is_open(config, round_, now)] or started
    round_ = max(candidates, key=lambda round_: round_times(config, round_).opens_at)
    claim(session, request_key, now)
    rows = summary_rows(config, compile_summary(session, config, round_), f"report:{now.isoformat()}", now)
    outbox.enqueue(session, rows)
    return round_


def find_indicator(config: AssociationConfig, text: str) -> tuple[Goal, Indicator]:
    """An indicator by id, or by a unique part of its name."""
    indicators = all_indicators(config)
    wanted = text.strip().casefold()
    if wanted in indicators:
        return indicators[wanted]
    matches = [pair for pair in indicators.values() if wanted and wanted in pair[1].name.casefold()]
    if len(matches) == 1:
        return matches[0]
    raise UnknownIndicator(text, [indicator for _, indicator in (matches or indicators.values())])


def history(session: Session, config: AssociationConfig, person: Person | None, text: str) -> HistoryView:
    """An indicator's values across every round, for the departments the person may see.

    The overseers see every department; heads, deputies and those a head handed a round to see their own."""
    everything = access.sees_everything(config, person)
    handed = store.delegations(session, [round_.id for round_ in config.followup_rounds])
    own = {
        d.id
        for d in config.departments
        if person is not None
        and (
            person.id in (d.head, d.deputy) or any(h.person_id == person.id and h.department_id == d.id for h in handed)
        )
    }
    if not everything and not own:
        raise NotAllowed("se uppföljningens historik")
    goal, indicator = find_indicator(config, text)
    answers = store.answers_for_indicator(session, indicator.id)
    by_round: dict[str, list[tuple[Department, FollowupAnswer]]] = {}
    known = {department.id for department in config.departments}
    for answer in answers:
        if answer.department_id in known and (everything or answer.department_id in own):
            by_round.setdefault(answer.round_id, []).append((config.department(answer.department_id), answer))
    rows = [
        (round_, sorted(by_round[round_.id], key=lambda pair: pair[0].name))
        for round_ in rounds_in_order(config)
        if round_.id in by_round
    ]
    return HistoryView(goal, indicator, rows)
