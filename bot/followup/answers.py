"""Answering a round: which forms a person may fill in, what each shows, and storing a page of answers with a
revision per change. Every function checks who is asking; the chat edge only renders what comes back."""

import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.config.followup_model import FollowupRound, Goal, Indicator
from bot.config.model import AssociationConfig, Department, Person
from bot.errors import NotAllowed
from bot.followup.rounds import (
    RoundNotOpen,
    RoundTimes,
    find_round,
    indicators_for,
    is_open,
    open_rounds,
    previous_round,
    round_times,
)
from bot.followup.validation import AnswerInput, CleanAnswer, clean_answers
from bot.home.dirty import mark_department
from bot.permissions import Action, Scope, may, require
from bot.replays import claim
from bot.surveys.results import SurveyIndex, latest_nki
from storage import followup as store
from storage.followup import FollowupAnswer, FollowupDelegation, FollowupRevision

ANSWER_FIELDS = ("status", "value_number", "value_text", "comment", "actions")


class ConcurrentSubmission(Exception):
    """Answers for the department kept changing under a submission; the user should save again."""


@dataclass(frozen=True)
class FormItem:
    goal: Goal
    indicator: Indicator
    current: FollowupAnswer | None
    previous: FollowupAnswer | None
    survey: SurveyIndex | None = None  # the value's pre-fill, for an indicator fed by the survey not yet answered


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


def _open_round(config: AssociationConfig, round_id: str, now: datetime) -> FollowupRound:
    round_ = find_round(config, round_id)
    if round_ is None or not is_open(config, round_, now):
        raise RoundNotOpen(round_id)
    return round_


def _department(config: AssociationConfig, department_id: str) -> Department:
    department = config.find_department(department_id)
    if department is None:
        raise NotAllowed(Action.ANSWER_FOLLOWUP)
    return department


def _require_answerer(
    session: Session, config: AssociationConfig, person: Person, round_id: str, department: Department
) -> None:
    delegations = store.delegations(session, [round_id])
    require(config, person, Action.ANSWER_FOLLOWUP, Scope(department, delegations, round_id))


def answerable_departments(
    config: AssociationConfig, person: Person, round_id: str, delegations: list[FollowupDelegation]
) -> list[Department]:
    """The departments whose answers the person may give in the round."""
    return [
        department
        for department in config.departments
        if may(config, person, Action.ANSWER_FOLLOWUP, Scope(department, delegations, round_id))
    ]


def form_choices(
    *, session: Session, config: AssociationConfig, person: Person, now: datetime
) -> list[tuple[FollowupRound, Department]]:
    """Every (open round, department) the person may answer for."""
    rounds = open_rounds(config, now)
    delegations = store.delegations(session, [round_.id for round_ in rounds])
    return [
        (round_, department)
        for round_ in rounds
        for department in answerable_departments(config, person, round_.id, delegations)
        if indicators_for(config, department.id)
    ]


def form_data(
    *, session: Session, config: AssociationConfig, person: Person, round_id: str, department_id: str, now: datetime
) -> FormData:
    """What the form shows: each indicator with this round's answer so far and last round's answer."""
    round_ = _open_round(config, round_id, now)
    department = _department(config, department_id)
    _require_answerer(session, config, person, round_id, department)
    before = previous_round(config, round_)
    rounds = [round_.id] + ([before.id] if before else [])
    answers = {(a.round_id, a.indicator_id): a for a in store.answers_for(session, rounds, department_id)}
    indicators = indicators_for(config, department_id)
    fed = {
        indicator.id
        for _, indicator in indicators
        if indicator.source == "bas_survey" and (round_.id, indicator.id) not in answers
    }
    survey = latest_nki(session, config, now) if fed else None
    items = [
        FormItem(
            goal=goal,
            indicator=indicator,
            current=answers.get((round_.id, indicator.id)),
            previous=answers.get((before.id, indicator.id)) if before else None,
            survey=survey if indicator.id in fed else None,
        )
        for goal, indicator in indicators
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
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    round_id: str,
    department_id: str,
    inputs: dict[str, AnswerInput],
    now: datetime,
    request_key: str | None = None,
) -> SubmitResult:
    """Validate and store one form page; each changed answer gets a revision. A replayed request raises Replayed."""
    round_ = _open_round(config, round_id, now)
    department = _department(config, department_id)
    _require_answerer(session, config, person, round_id, department)
    indicators = {indicator.id: indicator for _, indicator in indicators_for(config, department_id)}
    cleaned = clean_answers(indicators, {key: raw for key, raw in inputs.items() if key in indicators})
    claim(session, request_key, now)
    mark_department(session, config, department_id)
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
