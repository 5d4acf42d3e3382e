"""Each numeric indicator's values across the rounds up to a round, per department: what its trend chart in the
summary and the board digest shows.

A summary carries at most MAX_CHARTS charts, each with at most MAX_DEPARTMENTS lines: a picture of sixty
indicators or of forty lines is neither read nor cheap to draw (bench/followup_report.py). The indicators charted
are those with the most departments needing attention in the round reported on (a status that needs actions, or a
value that misses the target), indicators with a target before those without, then the configuration's order; the
summary names the rest, whose values are in its files. The departments drawn are, likewise, those in the worst
status in the round; the chart says how many more there are.
"""

from dataclasses import dataclass

from bot.config.followup_model import FollowupRound, Indicator
from bot.config.model import AssociationConfig
from bot.followup.rounds import rounds_in_order
from bot.followup.validation import NEEDS_ACTIONS
from messages.charts.data import TrendChart, TrendPoint, TrendSeries
from messages.charts.images import trend_image
from messages.followup_labels import UNIT_LABELS
from messages.message import Image
from storage.followup import AnswerStatus, FollowupAnswer

HISTORY_ROUNDS = 6  # two years of tertial, interim and annual rounds: enough to see a trend, few enough to read
MAX_CHARTS = 6  # trend charts in one summary: a screenful or two in Slack, six cards in Teams
MAX_DEPARTMENTS = 8  # lines in one chart: one for each of the distinct markers (messages/charts/style.py)
STATUS_ORDER = (AnswerStatus.NOT_MET, AnswerStatus.AT_RISK, AnswerStatus.PARTLY_MET, AnswerStatus.MET)


@dataclass(frozen=True)
class IndicatorTrend:
    indicator: Indicator
    rounds: tuple[FollowupRound, ...]  # oldest first, ending with the round reported on
    values: tuple[tuple[str, tuple[TrendPoint, ...]], ...]  # (department id, its values), configuration order

    def latest(self, points: tuple[TrendPoint, ...]) -> TrendPoint | None:
        """A department's point in the round reported on, if it answered."""
        last = points[-1]
        return last if last.round_index == len(self.rounds) - 1 else None

    def needs_attention(self, points: tuple[TrendPoint, ...]) -> bool:
        """The department's answer in the round reported on needs actions or misses the target."""
        point, target = self.latest(points), self.indicator.target
        return point is not None and (
            point.status in NEEDS_ACTIONS or (target is not None and not target.met_by(point.value))
        )

    @property
    def attention(self) -> int:
        """The departments whose answer in the round reported on needs attention."""
        return sum(self.needs_attention(points) for _, points in self.values)


def history_rounds(config: AssociationConfig, round_: FollowupRound) -> list[FollowupRound]:
    """The round and the ones that opened before it, oldest first, at most HISTORY_ROUNDS."""
    return [other for other in rounds_in_order(config) if other.opens <= round_.opens][-HISTORY_ROUNDS:]


def indicator_trends(
    config: AssociationConfig, rounds: list[FollowupRound], answers: list[FollowupAnswer]
) -> list[IndicatorTrend]:
    """Per numeric indicator with a value in any of `rounds`, each reporting department's values in them."""
    index = {round_.id: position for position, round_ in enumerate(rounds)}
    by_key = {(a.indicator_id, a.department_id, a.round_id): a for a in answers if a.round_id in index}
    trends = []
    for goal in config.goals:
        for indicator in goal.indicators:
            if indicator.unit == "text":
                continue
            values = []
            for department in config.departments:
                found = [by_key.get((indicator.id, department.id, round_.id)) for round_ in rounds]
                points = tuple(
                    TrendPoint(index[a.round_id], a.value_number, a.status)
                    for a in found
                    if a is not None and a.value_number is not None
                )
                if points:
                    values.append((department.id, points))
            if values:
                trends.append(IndicatorTrend(indicator, tuple(rounds), tuple(values)))
    return trends


def charted_trends(trends: list[IndicatorTrend]) -> list[IndicatorTrend]:
    """The trends a summary draws (at most MAX_CHARTS, see the module's text), in the configuration's order."""
    ranked = sorted(range(len(trends)), key=lambda at: (-trends[at].attention, trends[at].indicator.target is None, at))
    return [trends[at] for at in sorted(ranked[:MAX_CHARTS])]


def _status_rank(trend: IndicatorTrend, points: tuple[TrendPoint, ...]) -> tuple[bool, int]:
    """Worst first: needing attention, then by the status in the round reported on (no answer in it last)."""
    point = trend.latest(points)
    status = STATUS_ORDER.index(point.status) if point is not None else len(STATUS_ORDER)
    return (not trend.needs_attention(points), status)


def drawn_departments(trend: IndicatorTrend) -> tuple[tuple[str, tuple[TrendPoint, ...]], ...]:
    """At most MAX_DEPARTMENTS departments' values, the worst in the round reported on, in configuration order."""
    if len(trend.values) <= MAX_DEPARTMENTS:
        return trend.values
    ranked = sorted(range(len(trend.values)), key=lambda at: (*_status_rank(trend, trend.values[at][1]), at))
    return tuple(trend.values[at] for at in sorted(ranked[:MAX_DEPARTMENTS]))


def trend_chart(config: AssociationConfig, trend: IndicatorTrend) -> TrendChart:
    """The chart's data: the rounds' and departments' names, the unit's label, the target, the departments left
    out."""
    names = {department.id: department.name for department in config.departments}
    target = trend.indicator.target
    drawn = drawn_departments(trend)
    return TrendChart(
        title=trend.indicator.name,
        unit=UNIT_LABELS[trend.indicator.unit].capitalize(),
        rounds=tuple(round_.name for round_ in trend.rounds),
        series=tuple(TrendSeries(names[department_id], points) for department_id, points in drawn),
        target=target.value if target else None,
        target_label=str(target) if target else "",
        left_out=len(trend.values) - len(drawn),
    )


def trend_images(config: AssociationConfig, trends: list[IndicatorTrend]) -> tuple[Image, ...]:
    """A trend chart per indicator, as PNG images named after the indicator."""
    return tuple(trend_image(trend_chart(config, trend), f"trend-{trend.indicator.id}.png") for trend in trends)
