"""A survey round's results: per service (and the NKI questions) and member, an NKI-style index 0-100, the number
of answers behind it and its change since the round before, and the same across every earlier round (the trend).

Each rating x is mapped to (x - 1) * 100 / 9 and the mapped ratings are averaged, unweighted (SCB's NKI weights
its three questions by a model; this does not). A figure from fewer responses than the survey's `min_answers` is
not shown. Nor is a total whose hidden parts could be read off by subtraction: the total of a row over all members
is shown only when the responses in its hidden cells are none or at least `min_answers` together, so that the
total minus the cells shown never gives a figure from fewer responses than the minimum.

Compiling takes the same few SQL statements whatever the number of members, services and rounds
(bench/survey_compile.py measures it).
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.config.model import AssociationConfig, Member, Service
from bot.surveys.audience import member_services, respondents, surveyed_services
from bot.surveys.questions import WHOLE, Question, index_of
from bot.surveys.rounds import SurveyRound, rounds_until
from storage import surveys as store
from storage.surveys import ScoreSums

ALL = ""  # the column of every member together


@dataclass(frozen=True)
class Figure:
    """One cell: the responses behind it, its index (None when not shown) and its change since the round before
    (None when either is not shown)."""

    answers: int
    index: float | None
    change: float | None = None


@dataclass(frozen=True)
class ResultRow:
    """The NKI questions (`service` None) or one service: a figure per member id that takes it, and ALL."""

    service: Service | None
    cells: dict[str, Figure]

    @property
    def key(self) -> str:
        return self.service.id if self.service else WHOLE


@dataclass(frozen=True)
class SurveyResults:
    round: SurveyRound
    previous: SurveyRound | None
    members: list[Member]
    rows: list[ResultRow]  # the NKI row first, then the services in the catalogue's order
    asked: int  # people asked
    responses: int  # responses given
    improvements: dict[str, list[str]]  # service id -> what respondents would have improved, in the order given
    history: dict[str, list[tuple[date, float | None]]]  # row key -> the ALL index of every round up to this one

    def indexes(self) -> dict[str, dict[str, float | None]]:
        """The shown indexes as plain data (row key: WHOLE for NKI or a service id; column: a member id or ALL), for
        a chart or a table."""
        return {row.key: {column: figure.index for column, figure in row.cells.items()} for row in self.rows}


Sums = dict[tuple[date, str, str], ScoreSums]  # (round, member, row key) -> the sums


def _cell(sums: Sums, opens: date, member_id: str, row_key: str, minimum: int) -> Figure:
    found = sums.get((opens, member_id, row_key))
    if found is None:
        return Figure(0, None)
    shown = found.responses >= minimum
    return Figure(found.responses, index_of(found.total, found.scores) if shown else None)


def _total(sums: Sums, opens: date, member_ids: list[str], row_key: str, minimum: int) -> Figure:
    """All members together; hidden when the responses in hidden cells are between none and the minimum."""
    parts = [sums[key] for key in ((opens, member_id, row_key) for member_id in member_ids) if key in sums]
    responses = sum(part.responses for part in parts)
    hidden = sum(part.responses for part in parts if part.responses < minimum)
    if responses < minimum or 0 < hidden < minimum:
        return Figure(responses, None)
    return Figure(responses, index_of(sum(part.total for part in parts), sum(part.scores for part in parts)))


def _figures(sums: Sums, opens: date, members: dict[str, list[str]], minimum: int) -> dict[str, dict[str, Figure]]:
    """Every row's figures in one round: `members` gives, per row key, the members it has a cell for."""
    rows: dict[str, dict[str, Figure]] = {}
    for row_key, member_ids in members.items():
        cells = {member_id: _cell(sums, opens, member_id, row_key, minimum) for member_id in member_ids}
        cells[ALL] = _total(sums, opens, member_ids, row_key, minimum)
        rows[row_key] = cells
    return rows


def _change(now: Figure, before: Figure | None) -> Figure:
    if before is None or now.index is None or before.index is None:
        return now
    return Figure(now.answers, now.index, now.index - before.index)


def compile_results(session: Session, config: AssociationConfig, round_: SurveyRound) -> SurveyResults:
    """The round's results, with its changes since the round before and the trend across every round so far."""
    survey = round_.survey
    rounds = [earlier for earlier in rounds_until(config, survey, round_.opens_at) if earlier.opens <= round_.opens]
    previous = rounds[-2] if len(rounds) > 1 else None
    sums = {
        (s.round_opens, s.member_id, s.service_id): s
        for s in store.score_sums(session, survey.id, [r.opens for r in rounds])
    }
    services = surveyed_services(config, survey)
    members_of = {WHOLE: [member.id for member in config.members if member_services(config, survey, member)]}
    for service in services:
        members_of[service.id] = [m.id for m in config.members if service in member_services(config, survey, m)]
    per_round = {r.opens: _figures(sums, r.opens, members_of, survey.min_answers) for r in rounds}
    now, before = per_round[round_.opens], per_round.get(previous.opens) if previous else None
    rows = [
        ResultRow(
            service,
            {column: _change(figure, before[key][column] if before else None) for column, figure in now[key].items()},
        )
        for service, key in [(None, WHOLE), *((service, service.id) for service in services)]
    ]
    improvements: dict[str, list[str]] = {}
    for service_id, text in store.improvement_texts(session, survey.id, round_.opens, Question.IMPROVE):
        improvements.setdefault(service_id, []).append(text)
    return SurveyResults(
        round=round_,
        previous=previous,
        members=[member for member in config.members if member.id in members_of[WHOLE]],
        rows=rows,
        asked=len(respondents(config, survey)),
        responses=sum(store.responses_per_member(session, survey.id, round_.opens).values()),
        improvements=improvements,
        history={key: [(r.opens, per_round[r.opens][key][ALL].index) for r in rounds] for key in members_of},
    )


@dataclass(frozen=True)
class SurveyIndex:
    """The NKI index over all members of a survey's last closed round: what a follow-up's NKI indicator can be
    pre-filled with, and where it came from."""

    index: float
    answers: int
    round: SurveyRound


def latest_nki(session: Session, config: AssociationConfig, now: datetime) -> SurveyIndex | None:
    """The NKI index over all members of the last round of any survey that closed by `now`; None when no round has
    closed or its index is not shown (fewer answers than the minimum): an older round's figure is not passed off as
    the latest."""
    closed = [
        round_ for survey in config.surveys for round_ in rounds_until(config, survey, now) if round_.closes_at <= now
    ]
    if not closed:
        return None
    latest = max(closed, key=lambda round_: round_.closes_at)
    total = compile_results(session, config, latest).rows[0].cells[ALL]
    return SurveyIndex(total.index, total.answers, latest) if total.index is not None else None
