"""Rendering case statistics in Swedish, for /synpunkt statistik and the board's digest (with its chart)."""

from typing import Any

from messages.case_labels import CATEGORY_LABELS, MONTHLY_CHART_TITLE, STATISTICS_HEADING
from messages.charts.data import MonthlyCounts
from messages.charts.images import monthly_image
from messages.message import Image
from messages.render import render


def decimal(value: float) -> str:
    """'3' or '3,5'."""
    return str(int(value)) if value == int(value) else f"{value:.1f}".replace(".", ",")


def percent(share: float) -> str:
    """'83 %'."""
    return f"{round(share * 100)} %"


def statistics_text(stats: Any, heading: str = STATISTICS_HEADING) -> str:
    by_category = [(CATEGORY_LABELS[key], count) for key, count in stats.by_category]
    view = {**stats.__dict__, "by_category": by_category}
    return render("case_statistics", stats=view, heading=heading, decimal=decimal, percent=percent)


def monthly_chart(year: int, by_month: list[tuple[str, tuple[int, ...]]]) -> Image:
    """The year's cases per month, stacked by category, as a picture."""
    chart = MonthlyCounts(
        title=MONTHLY_CHART_TITLE,
        year=year,
        categories=tuple(CATEGORY_LABELS[key] for key, _ in by_month),
        counts=tuple(counts for _, counts in by_month),
    )
    return monthly_image(chart, f"synpunkter-per-manad-{year}.png")
