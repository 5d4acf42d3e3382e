"""Benchmark: drawing charts. Prints the first chart's time (importing and setting up matplotlib included, as a
process that sends a summary pays it once), then the median and slowest of the next ones of each kind, and each
kind's PNG size. Target: a chart under 300 ms after the first. Prints figures; asserts nothing.

    python bench/charts.py [--repeat 20]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from messages.charts.data import (  # noqa: E402
    GroupedBars,
    MonthlyCounts,
    TrendChart,
    TrendPoint,
    TrendSeries,
)
from messages.charts.images import grouped_image, monthly_image, trend_image  # noqa: E402
from messages.message import Image  # noqa: E402

STATUSES = ("met", "partly_met", "not_met", "at_risk")
DEPARTMENTS = ("IT-avdelningen", "Specialistavdelningen", "Löneavdelningen", "Ekonomiavdelningen")
ROUNDS = ("Tertial 1 2026", "Delår 2026", "Helår 2026", "Tertial 1 2027", "Delår 2027", "Helår 2027")
TREND = TrendChart(
    title="Ärenden lösta inom överenskommen tid enligt BAS-överenskommelsen",
    unit="Procent",
    rounds=ROUNDS,
    series=tuple(
        TrendSeries(name, tuple(TrendPoint(r, 80 + (r * 3 + d * 5) % 17, STATUSES[(r + d) % 4]) for r in range(6)))
        for d, name in enumerate(DEPARTMENTS)
    ),
    target=90,
    target_label=">= 90",
)
MONTHLY = MonthlyCounts(
    title="Synpunkter och klagomål per månad",
    year=2027,
    categories=("Klagomål", "Synpunkt", "Förslag", "Beröm", "Fråga"),
    counts=tuple(tuple((c * 7 + m * 3) % 6 for m in range(12)) for c in range(5)),
)
GROUPED = GroupedBars(
    title="BAS-index per tjänst och medlem",
    value_label="Index 0–100",
    groups=("IT-drift", "E-arkiv", "Lön", "Ekonomi", "GIS", "Upphandling"),
    series=tuple(
        (member, tuple(None if (m + s) % 7 == 0 else 50.0 + (m * 11 + s * 7) % 45 for s in range(6)))
        for m, member in enumerate(("Arboga", "Köping", "Kungsör", "Surahammar"))
    ),
    value_max=100,
)
KINDS: dict[str, Callable[[], Image]] = {
    "trend (4 departments x 6 rounds)": lambda: trend_image(TREND, "trend.png"),
    "cases per month (5 categories)": lambda: monthly_image(MONTHLY, "month.png"),
    "grouped bars (6 services x 4 members)": lambda: grouped_image(GROUPED, "bas.png"),
}


def _timed(draw: Callable[[], Image]) -> tuple[float, Image]:
    started = time.perf_counter()
    image = draw()
    return time.perf_counter() - started, image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="charts of each kind after the first (default: 20)")
    args = parser.parse_args()
    first, _ = _timed(next(iter(KINDS.values())))
    print(f"{'first chart (matplotlib imported and set up)':46} {first * 1000:7.1f} ms")
    for name, draw in KINDS.items():
        runs = [_timed(draw) for _ in range(args.repeat)]
        times = [seconds for seconds, _ in runs]
        size = len(runs[-1][1].png)
        print(
            f"{name:46} median {statistics.median(times) * 1000:6.1f} ms   slowest {max(times) * 1000:6.1f} ms   "
            f"{size / 1024:5.1f} KB PNG"
        )


if __name__ == "__main__":
    main()
