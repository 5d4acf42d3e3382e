"""Benchmark: one follow-up round's report for a large association, from the database to the finished messages.

40 departments, 60 indicators and 10 years of rounds (3 a year), each answer with a revision, in the database.
Measures, for the last round: compiling the summary (and its SQL statement count), the CSV file, the Excel file,
and the whole report as the outbox gets it (both messages' text, both files and the trend charts, encoded as
attachments; at most 6 charts of at most 8 departments each, bot/followup/trends.py). The
target is the total, compile plus report, under 1 s at 40 departments; then the same for 4 departments, to show
the statement count does not grow with departments. Each step runs `--repeat` times; the median and the
slowest are printed. Prints figures; asserts nothing.

    python bench/followup_report.py [--database-url URL] [--repeat 5]
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import Database  # noqa: E402
from bot.config import AssociationConfig, load_config  # noqa: E402
from bot.followup.exports import csv_bytes, xlsx_bytes  # noqa: E402
from bot.followup.notices import summary_rows  # noqa: E402
from bot.followup.summary import compile_summary  # noqa: E402
from messages.message import Message  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.followup import FollowupAnswer, FollowupRevision  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "bot" / "demo" / "vmkf.yaml"
INDICATORS = 60
YEARS = 10
FIRST_YEAR = 2018
STATUSES = ("met", "partly_met", "not_met", "at_risk")
TARGET_SECONDS = 1.0


def association(departments: int) -> AssociationConfig:
    """The example association grown to `departments` departments, 60 indicators and 30 rounds."""
    data = load_config(EXAMPLE).model_dump(mode="json", exclude_none=True)
    heads = [
        {"id": f"chef-{n}", "name": f"Avdelningschef {n}", "slack_id": f"U0BENCH{n:03d}"} for n in range(departments)
    ]
    data["people"] += heads
    data["departments"] = [
        {"id": f"avd-{n}", "name": f"Avdelning {n}", "head": f"chef-{n}"} for n in range(departments)
    ]
    data["services"] = []
    units = ("number", "percent", "index")
    data["goals"] = [
        {
            "id": f"mal-{g}",
            "name": f"Mål {g}",
            "indicators": [
                {"id": f"ind-{g}-{i}", "name": f"Indikator {g}.{i}", "unit": units[i % 3], "target": ">= 50"}
                for i in range(INDICATORS // 3)
            ],
        }
        for g in range(3)
    ]
    rounds = []
    for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
        for kind, end, opens, deadline in (
            ("tertial", date(year, 4, 30), date(year, 5, 3), date(year, 5, 20)),
            ("interim", date(year, 8, 31), date(year, 9, 1), date(year, 9, 22)),
            ("annual", date(year, 12, 31), date(year + 1, 1, 8), date(year + 1, 1, 25)),
        ):
            rounds.append(
                {
                    "id": f"{kind}-{year}",
                    "name": f"{kind} {year}",
                    "kind": kind,
                    "period_start": str(date(year, 1, 1)),
                    "period_end": str(end),
                    "opens": str(opens),
                    "deadline": str(deadline),
                }
            )
    data["followup_rounds"] = rounds
    return AssociationConfig.model_validate(data)


def fill(engine: Engine, config: AssociationConfig) -> int:
    """Every department answers every indicator in every round, each answer with its first revision."""
    now = datetime(2028, 1, 1, tzinfo=UTC)
    indicators = [i.id for goal in config.goals for i in goal.indicators]
    total = 0
    with session_scope(engine) as session:
        for r, round_ in enumerate(config.followup_rounds):
            rows = [
                {
                    "round_id": round_.id,
                    "department_id": department.id,
                    "indicator_id": indicator,
                    "status": STATUSES[(r + d + i) % 4],
                    "value_number": float((r * 7 + d * 3 + i) % 100),
                    "comment": "Kommentar",
                    "actions": "Åtgärd enligt plan" if (r + d + i) % 4 >= 2 else None,
                    "revision": 1,
                    "submitted_by": department.head,
                    "submitted_at": now,
                }
                for d, department in enumerate(config.departments)
                for i, indicator in enumerate(indicators)
            ]
            session.execute(insert(FollowupAnswer.__table__), rows)
            revisions = [
                {
                    **{key: row[key] for key in ("round_id", "department_id", "indicator_id", "revision")},
                    "submitted_by": row["submitted_by"],
                    "submitted_at": row["submitted_at"],
                    "changes": json.dumps(
                        {"status": [None, row["status"]], "value_number": [None, row["value_number"]]}
                    ),
                }
                for row in rows
            ]
            session.execute(insert(FollowupRevision.__table__), revisions)
            total += len(rows)
    return total


def timed(step: Callable[[], object], repeat: int) -> list[float]:
    """Seconds for each of `repeat` runs of `step`."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def measure(engine: Engine, config: AssociationConfig, repeat: int) -> dict[str, list[float] | int]:
    """Seconds per step for the last round (each run `repeat` times), its SQL statements and message parts."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    round_ = config.followup_rounds[-1]
    names = {person.id: person.name for person in config.people}
    zone = config.association.timezone
    now = datetime(2028, 2, 1, tzinfo=UTC)

    def compile_once():
        with session_scope(engine) as session:
            return compile_summary(session, config, round_)

    event.listen(engine, "before_cursor_execute", count)
    try:
        summary = compile_once()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    compiled = timed(compile_once, repeat)
    report = timed(lambda: summary_rows(config, summary, now, on_request=True), repeat)
    rows = summary_rows(config, summary, now, on_request=True)
    return {
        "compile": compiled,
        "csv": timed(lambda: csv_bytes(summary, names, zone), repeat),
        "excel": timed(lambda: xlsx_bytes(summary, names, zone), repeat),
        "report": report,
        "total": [a + b for a, b in zip(compiled, report, strict=True)],
        "statements": len(statements),
        "parts": len(rows),
        "charts": sum(len(Message.from_json(row["message"]).images) for row in rows) // 2,  # two recipients
    }


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:5.0f} ms (slowest {max(times) * 1000:4.0f})"


def run(database_url: str | None, departments: int, repeat: int) -> None:
    with Database(database_url) as url:
        engine = make_engine(url)
        config = association(departments)
        started = time.perf_counter()
        answers = fill(engine, config)
        filled = time.perf_counter() - started
        figures = measure(engine, config, repeat)
        print(
            f"{departments} departments, {INDICATORS} indicators, {len(config.followup_rounds)} rounds, "
            f"{answers} answers (loaded in {filled:.1f} s); median of {repeat} runs:"
        )
        print(f"  compile                          {ms(figures['compile'])}, {figures['statements']} SQL statement(s)")
        print(f"  CSV file                         {ms(figures['csv'])}")
        print(f"  Excel file                       {ms(figures['excel'])}")
        print(
            f"  report (text + CSV + Excel + charts) {ms(figures['report'])}, {figures['parts']} message part(s), "
            f"{figures['charts']} chart(s) a message"
        )
        verdict = "met" if statistics.median(figures["total"]) < TARGET_SECONDS else "MISSED"
        print(f"  total (compile + report)         {ms(figures['total'])}; target < {TARGET_SECONDS:g} s: {verdict}")
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temp SQLite file; a PostgreSQL URL gets its own database")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each step (default 5)")
    args = parser.parse_args()
    for departments in (40, 4):
        run(args.database_url, departments, args.repeat)


if __name__ == "__main__":
    main()
