"""Rendering case statistics in Swedish, for /synpunkt statistik and the board's digest."""

from typing import Any

from messages.case_labels import CATEGORY_LABELS, STATISTICS_HEADING
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
