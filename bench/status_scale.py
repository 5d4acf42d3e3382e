"""`/kommunikationsplan status` and the overview as the outbox and the plan grow.

Status: bot.delivery.status.delivery_status (what the command shows: the last ten sent, failed and missed rows and
the number waiting) on an outbox of 1,000 and of 1,000,000 finished rows (4.5 years of a 200-item plan), on SQLite
and PostgreSQL. Overview: bot.plan.overview.upcoming (the 14-day overview) for the example plan (8 items) and for a
200-item plan whose weekly items started years ago, first call of the day and the calls after it.

    python bench/status_scale.py [--rows 1000000] [--baseline 1000] [--database-url URL ...] [--json]
"""

import argparse
import json
import logging
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.databases import PG_URL, Database  # noqa: E402
from bot.config import AssociationConfig, parse_config  # noqa: E402
from bot.delivery.status import delivery_status  # noqa: E402
from bot.plan.overview import upcoming  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402

EXAMPLE = ROOT / "bot" / "demo" / "vmkf.yaml"
NOW = datetime(2027, 6, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
REPEATS = 7
COLUMNS = (
    "source, item_id, occurrence_key, recipient, part, due_at, address, text, kind, owner, status, attempts, "
    "next_attempt_at, created_at, sent_at, check_before_post"
)
# One row every 143 s from 2022-11-26: a million rows end just before NOW, about 220,000 a year.
SQLITE_FILL = f"""
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :count)
INSERT INTO delivery ({COLUMNS})
SELECT 'plan', 'item-' || (i % 200), 'k' || i, 'person:p' || (i % 1000), 0, d, 'U' || (i % 1000), 'Text ' || i,
       'plan', 'owner', CASE i % 100 WHEN 0 THEN 'failed' WHEN 1 THEN 'missed' ELSE 'sent' END, 1, d, d, d, 0
FROM (SELECT i, strftime('%Y-%m-%d %H:%M:%f', :end, '-' || ((:count - i) * 143) || ' seconds') AS d FROM n)
"""
POSTGRES_FILL = f"""
INSERT INTO delivery ({COLUMNS})
SELECT 'plan', 'item-' || (i % 200), 'k' || i, 'person:p' || (i % 1000), 0, d, 'U' || (i % 1000), 'Text ' || i,
       'plan', 'owner', CASE i % 100 WHEN 0 THEN 'failed' WHEN 1 THEN 'missed' ELSE 'sent' END, 1, d, d, d, false
FROM (SELECT i, CAST(:end AS timestamp) - (:count - i) * interval '143 seconds' AS d
      FROM generate_series(1, :count) AS i) AS s
"""


def fill(engine, rows: int) -> float:
    """Insert `rows` finished deliveries in one statement; returns the seconds it took."""
    statement = POSTGRES_FILL if engine.dialect.name == "postgresql" else SQLITE_FILL
    end = NOW.astimezone(ZoneInfo("UTC")).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S")
    began = time.perf_counter()
    with engine.begin() as connection:
        connection.execute(text(statement), {"count": rows, "end": end})
    with engine.connect() as connection:
        connection.execute(text("ANALYZE"))
    return time.perf_counter() - began


def time_status(engine, config: AssociationConfig) -> float:
    """Median ms of the status view over REPEATS runs (the first one, cold, included)."""
    director = config.role_holder("director")
    samples = []
    for _ in range(REPEATS):
        began = time.perf_counter()
        with session_scope(engine) as session:
            view = delivery_status(session=session, config=config, person=director)
        samples.append(1000 * (time.perf_counter() - began))
        assert len(view.sent) == 10
    return statistics.median(samples)


def status_run(url: str | None, config: AssociationConfig, rows: int) -> dict:
    with Database(url) as database_url:
        engine = make_engine(database_url)
        try:
            filled = fill(engine, rows)
            return {
                "database": make_url(database_url).get_backend_name(),
                "rows": rows,
                "fill_seconds": filled,
                "status_ms": time_status(engine, config),
            }
        finally:
            engine.dispose()


def big_plan(items: int) -> AssociationConfig:
    """The example association with `items` plan items in all: weekly ones that started in 2022 fill it up."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    template = data["plan"][0]
    days = ["MO", "TU", "WE", "TH", "FR"]
    for n in range(items - len(data["plan"])):
        extra = dict(template, id=f"extra-{n:03d}", title=f"Extra utskick {n}")
        start = (date(2022, 1, 3) + timedelta(days=n)).isoformat()  # each rule its own
        extra["schedule"] = {"rrule": f"FREQ=WEEKLY;BYDAY={days[n % 5]}", "start": start, "time": "10:00"}
        data["plan"].append(extra)
    return parse_config(yaml.safe_dump(data, allow_unicode=True), "<status bench>")


def time_overview(config: AssociationConfig) -> dict:
    """ms of the overview: the process's first call, the first call of a later day, and calls within a day."""

    def timed(now: datetime) -> float:
        began = time.perf_counter()
        upcoming(config, now)
        return 1000 * (time.perf_counter() - began)

    cold = timed(NOW)
    next_day = timed(NOW + timedelta(days=1))
    later = [timed(NOW + timedelta(days=1, minutes=minute)) for minute in range(1, REPEATS + 1)]
    return {
        "items": len(config.plan),
        "cold_ms": cold,
        "next_day_ms": next_day,
        "later_p50_ms": statistics.median(later),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument("--database-url", action="append", help=f"default: a temp SQLite file and {PG_URL}")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)
    example = parse_config(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    result: dict = {"status": [], "overview": []}
    for url in args.database_url or [None, PG_URL]:
        small = status_run(url, example, args.baseline)
        large = status_run(url, example, args.rows)
        result["status"].append({"database": large["database"], "baseline": small, "large": large})
    for config in (example, big_plan(200)):
        result["overview"].append(time_overview(config))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    for entry in result["status"]:
        small, large = entry["baseline"], entry["large"]
        print(
            f"status on {entry['database']}: {small['rows']:,} rows {small['status_ms']:.1f} ms, "
            f"{large['rows']:,} rows {large['status_ms']:.1f} ms (ratio {large['status_ms'] / small['status_ms']:.1f}; "
            f"filling took {large['fill_seconds']:.0f} s)"
        )
    for entry in result["overview"]:
        print(
            f"overview, {entry['items']} items: first call in the process {entry['cold_ms']:.1f} ms, "
            f"first call of a later day {entry['next_day_ms']:.1f} ms, later calls p50 {entry['later_p50_ms']:.3f} ms"
        )


if __name__ == "__main__":
    main()
