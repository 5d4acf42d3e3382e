"""Compiling a round: per goal and indicator, each department's value against target and last round."""

from dataclasses import dataclass

from sqlmodel import Session

from bot.config.followup_model import FollowupRound, Goal, Indicator, Target
from bot.config.model import AssociationConfig, Department
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import previous_round
from bot.followup.trends import IndicatorTrend, charted_trends, history_rounds, indicator_trends
from bot.followup.validation import NEEDS_ACTIONS
from storage import followup as store
from storage.followup import FollowupAnswer, FollowupRevision


@dataclass(frozen=True)
class Cell:
    """One department's answer for one indicator, compared with the target and the previous round."""

    department: Department
    answer: FollowupAnswer
    previous: FollowupAnswer | None
    target: Target | None

    @property
    def on_target(self) -> bool | None:
        value = self.answer.value_number
        return None if self.target is None or value is None else self.target.met_by(value)

    @property
    def change(self) -> float | None:
        if self.previous is None or self.previous.value_number is None or self.answer.value_number is None:
            return None
        return self.answer.value_number - self.previous.value_number

    @property
    def at_risk(self) -> bool:
        return self.answer.status in NEEDS_ACTIONS


@dataclass(frozen=True)
class IndicatorSummary:
    indicator: Indicator
    cells: list[Cell]
    missing: list[Department]

    @property
    def at_risk(self) -> list[Cell]:
        return [cell for cell in self.cells if cell.at_risk]


@dataclass(frozen=True)
class GoalSummary:
    goal: Goal
    indicators: list[IndicatorSummary]

    @property
    def at_risk(self) -> list[tuple[IndicatorSummary, Cell]]:
        return [(summary, cell) for summary in self.indicators for cell in summary.at_risk]


@dataclass(frozen=True)
class RoundSummary:
    round: FollowupRound
    previous_round: FollowupRound | None
    goals: list[GoalSummary]
    progress: list[Progress]
    revisions: list[FollowupRevision]
    trends: list[IndicatorTrend]

    @property
    def answered(self) -> list[Department]:
        """Departments that answered every indicator."""
        return [progress.department for progress in self.progress if progress.complete]

    @property
    def incomplete(self) -> list[Progress]:
        """Departments with one or more answers missing, whether they answered some or none."""
        return [progress for progress in self.progress if not progress.complete]

    @property
    def missing(self) -> list[Department]:
        return [progress.department for progress in self.incomplete]

    @property
    def goals_at_risk(self) -> list[GoalSummary]:
        return [goal for goal in self.goals if goal.at_risk]

    @property
    def charts(self) -> list[IndicatorTrend]:
        """The trends the summary draws (bot/followup/trends.py says which)."""
        return charted_trends(self.trends)

    @property
    def without_charts(self) -> list[IndicatorTrend]:
        """The trends with values that the summary does not draw, which its text names."""
        drawn = {trend.indicator.id for trend in self.charts}
        return [trend for trend in self.trends if trend.indicator.id not in drawn]


def compile_summary(session: Session, config: AssociationConfig, round_: FollowupRound) -> RoundSummary:
    """The round's summary with the indicators' trends over the rounds before it, read with two queries (answers,
    their revisions) whatever the association's size."""
    before = previous_round(config, round_)
    history = history_rounds(config, round_)  # the round, the previous one and those before
    read = store.answers_for_rounds(session, [other.id for other in history])
    answers = {(a.round_id, a.department_id, a.indicator_id): a for a in read}
    goals = []
    for goal in config.goals:
        summaries = []
        for indicator in goal.indicators:
            cells, missing = [], []
            for department in config.departments:
                if not indicator.reported_by(department.id):
                    continue
                answer = answers.get((round_.id, department.id, indicator.id))
                if answer is None:
                    missing.append(department)
                    continue
                previous = answers.get((before.id, department.id, indicator.id)) if before else None
                cells.append(Cell(department, answer, previous, indicator.target))
            summaries.append(IndicatorSummary(indicator, cells, missing))
        goals.append(GoalSummary(goal, summaries))
    progress = round_progress(config, round_.id, answers.keys())
    revisions = store.revisions_for_round(session, round_.id)
    return RoundSummary(round_, before, goals, progress, revisions, indicator_trends(config, history, read))
