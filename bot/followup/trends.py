"""Each numeric indicator's values across the rounds up to a round, per department: what its trend chart in the
summary and the board digest shows."""

from dataclasses import dataclass

from bot.config.followup_model import FollowupRound, Indicator
from bot.config.model import AssociationConfig
from bot.followup.rounds import rounds_in_order
from messages.charts.data import TrendChart, TrendPoint, TrendSeries
from messages.charts.images import trend_image
from messages.followup_labels import UNIT_LABELS
from messages.message import Image
from storage.followup import FollowupAnswer

HISTORY_ROUNDS = 6  # two years of tertial, interim and annual rounds: enough to see a trend, few enough to read


@dataclass(frozen=True)
class IndicatorTrend:
    indicator: Indicator
    rounds: tuple[FollowupRound, ...]  # oldest first, ending with the round reported on
    values: tuple[tuple[str, tuple[TrendPoint, ...]], ...]  # (department id, its values), configuration order


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


def trend_chart(config: AssociationConfig, trend: IndicatorTrend) -> TrendChart:
    """The chart's data: the rounds' and departments' names, the unit's label, the target."""
    names = {department.id: department.name for department in config.departments}
    target = trend.indicator.target
    return TrendChart(
        title=trend.indicator.name,
        unit=UNIT_LABELS[trend.indicator.unit].capitalize(),
        rounds=tuple(round_.name for round_ in trend.rounds),
        series=tuple(TrendSeries(names[department_id], points) for department_id, points in trend.values),
        target=target.value if target else None,
        target_label=str(target) if target else "",
    )


def trend_images(config: AssociationConfig, trends: list[IndicatorTrend]) -> tuple[Image, ...]:
    """A trend chart per indicator, as PNG images named after the indicator."""
    return tuple(trend_image(trend_chart(config, trend), f"trend-{trend.indicator.id}.png") for trend in trends)
