"""What a chart is drawn from: plain values gathered by a feature (bot/), so drawing needs no database and the
data can be tested apart from the picture."""

from dataclasses import dataclass


@dataclass(frozen=True)
class TrendPoint:
    """One round's value, with the status the department gave it ('met', 'partly_met', 'not_met', 'at_risk')."""

    round_index: int  # position in TrendChart.rounds
    value: float
    status: str


@dataclass(frozen=True)
class TrendSeries:
    label: str  # e.g. the department's name
    points: tuple[TrendPoint, ...]


@dataclass(frozen=True)
class TrendChart:
    """An indicator across follow-up rounds: one series per department, the target as a line."""

    title: str
    unit: str  # the y axis' title, e.g. 'Procent'
    rounds: tuple[str, ...]  # the x axis, oldest first
    series: tuple[TrendSeries, ...]
    target: float | None = None
    target_label: str = ""  # e.g. 'NKI >= 70'
    left_out: int = 0  # series not drawn (the feature chose which to draw), named as a number in the legend


@dataclass(frozen=True)
class MonthlyCounts:
    """Counts per month of a year, stacked by category: `counts[c][m]` is category c's count in month m + 1."""

    title: str
    year: int
    categories: tuple[str, ...]  # the categories' labels, in stacking order
    counts: tuple[tuple[int, ...], ...]  # per category, twelve counts


@dataclass(frozen=True)
class GroupedBars:
    """Bars per group (e.g. a service), one per series (e.g. a member) side by side; None: no figure shown."""

    title: str
    value_label: str  # the y axis' title
    groups: tuple[str, ...]
    series: tuple[tuple[str, tuple[float | None, ...]], ...]  # (label, one value per group)
    value_max: float | None = None  # the top of the axis (100 for an index), else from the data
