"""Overseeing a round: who has answered, handing a round over to a deputy, the report on request, and an
indicator's history (answering is bot/followup/answers.py's).

Every function checks who is asking; the chat edge only renders what comes back.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config.followup_model import FollowupRound, Goal, Indicator
from bot.config.model import AssociationConfig, Department, Person
from bot.delivery.keys import Ask
from bot.errors import NotAllowed
from bot.followup import access
from bot.followup.notices import ask_rows, summary_rows
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import (
    RoundNotOpen,
    RoundTimes,
    all_indicators,
    is_open,
    open_rounds,
    round_times,
    rounds_in_order,
)
from bot.followup.summary import compile_summary
from bot.permissions import Action, Scope, may, require
from bot.replays import claim
from storage import followup as store
from storage import outbox
from storage.followup import FollowupAnswer
from storage.home import mark_dirty


class NoDeputy(Exception):
    """A hand-over without a named person, for a department without a configured deputy."""


class UnknownIndicator(Exception):
    """No indicator matches the text; `choices` lists the known ones."""

    def __init__(self, text: str, choices: list[Indicator]):
        super().__init__(text)
        self.text = text
        self.choices = choices


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


def round_status(*, session: Session, config: AssociationConfig, person: Person, now: datetime) -> list[RoundStatus]:
    """Who has answered each open round: every department for the overseers, one's own for the others."""
    rounds = open_rounds(config, now)
    round_ids = [round_.id for round_ in rounds]
    delegations = store.delegations(session, round_ids)
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
            if may(config, person, Action.SEE_FOLLOWUP_STATUS, Scope(progress.department, delegations, round_.id))
        ]
        if departments:
            statuses.append(RoundStatus(round_, round_times(config, round_), departments))
    if rounds and not statuses:
        raise NotAllowed(Action.SEE_FOLLOWUP_STATUS)
    return statuses


def delegate(
    *,
    session: Session,
    config: AssociationConfig,
    person: Person,
    target: Person | None,
    now: datetime,
    request_key: str | None = None,
) -> list[tuple[FollowupRound, Department, Person]]:
    """Hand every open round of the caller's departments to `target`, or to the configured deputy."""
    rounds = open_rounds(config, now)
    if not rounds:
        raise RoundNotOpen("")
    headed = [d for d in config.departments if may(config, person, Action.DELEGATE_FOLLOWUP, Scope(d))]
    if not headed:
        raise NotAllowed(Action.DELEGATE_FOLLOWUP)
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
            mark_dirty(session, [person.id, chosen.id])
            rows = ask_rows(config, round_, department, chosen, Ask.DELEGATED, now, person, step=chosen.id)
            outbox.enqueue(session, rows)
            handed.append((round_, department, chosen))
    return handed


def request_report(
    *, session: Session, config: AssociationConfig, person: Person, now: datetime, request_key: str | None = None
) -> FollowupRound:
    """Compile the open (or latest opened) round now and queue it to the quality manager and the board."""
    require(config, person, Action.REQUEST_FOLLOWUP_REPORT)
    started = [round_ for round_ in rounds_in_order(config) if round_times(config, round_).opens_at <= now]
    if not started:
        raise RoundNotOpen("")
    candidates = [round_ for round_ in started if is_open(config, round_, now)] or started
    round_ = max(candidates, key=lambda round_: round_times(config, round_).opens_at)
    claim(session, request_key, now)
    rows = summary_rows(config, compile_summary(session, config, round_), now, on_request=True)
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


def history(*, session: Session, config: AssociationConfig, person: Person, text: str) -> HistoryView:
    """An indicator's values across every round, for the departments the person may see.

    The overseers see every department; heads, deputies and those a head handed a round to see their own."""
    handed = store.delegations(session, [round_.id for round_ in config.followup_rounds])
    own = {d.id for d in config.departments if may(config, person, Action.SEE_FOLLOWUP_HISTORY, Scope(d, handed))}
    if not own:
        raise NotAllowed(Action.SEE_FOLLOWUP_HISTORY)
    goal, indicator = find_indicator(config, text)
    answers = store.answers_for_indicator(session, indicator.id)
    by_round: dict[str, list[tuple[Department, FollowupAnswer]]] = {}
    for answer in answers:
        if answer.department_id in own:
            by_round.setdefault(answer.round_id, []).append((config.department(answer.department_id), answer))
    rows = [
        (round_, sorted(by_round[round_.id], key=lambda pair: pair[0].name))
        for round_ in rounds_in_order(config)
        if round_.id in by_round
    ]
    return HistoryView(goal, indicator, rows)
