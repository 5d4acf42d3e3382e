"""Benchmark: compiling one follow-up round's summary for a large association.

40 departments, 60 indicators and 10 years of rounds (3 a year), each answer with a revision, in the database;
prints the time to compile one round's summary and the number of SQL statements it issues, then the same for
4 departments, to show the statement count does not grow with departments. Target: under 1 s.
Prints figures; asserts nothing.

    python bench/followup_report.py [--database-url URL]
"""

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, event, insert

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.config import AssociationConfig, load_config  # noqa: E402
from bot.followup.notices import summary_rows  # noqa: E402
from bot.followup.summary import compile_summary  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.followup import FollowupAnswer, FollowupRevision  # noqa: E402
from storage.migrate import upgrade  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "bot" / "demo" / "vmkf.yaml"
INDICATORS = 60
YEARS = 10
FIRST_YEAR = 2018
STATUSES = ("met", "partly_met", "not_met", "at_risk")


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


def measure(engine: Engine, config: AssociationConfig) -> tuple[float, int, float, int]:
    """(seconds to compile, statements, seconds to render with files, rows queued)."""
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    round_ = config.followup_rounds[-1]
    event.listen(engine, "before_cursor_execute", count)
    try:
        with session_scope(engine) as session:
            started = time.perf_counter()
            summary = compile_summary(session, config, round_)
            compiled = time.perf_counter() - started
    finally:
        event.remove(engine, "before_cursor_execute", count)
    started = time.perf_counter()
    rows = summary_rows(config, summary, "bench", datetime(2028, 2, 1, tzinfo=UTC))
    rendered = time.perf_counter() - started
    return compiled, len(statements), rendered, len(rows)


def run(database_url: str | None, departments: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(database_url or f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        config = association(departments)
        started = time.perf_counter()
        answers = fill(engine, config)
        filled = time.perf_counter() - started
        compiled, statements, rendered, parts = measure(engine, config)
        print(
            f"{departments:>3} departments, {INDICATORS} indicators, {len(config.followup_rounds)} rounds, "
            f"{answers} answers (loaded in {filled:.1f} s): compile {compiled * 1000:.0f} ms, "
            f"{statements} SQL statement(s); text + CSV + Excel {rendered * 1000:.0f} ms, {parts} message part(s)"
        )
        if database_url:
            with session_scope(engine) as session:
                session.execute(FollowupAnswer.__table__.delete())
                session.execute(FollowupRevision.__table__.delete())
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an empty, disposable database (default: a temporary SQLite file)")
    args = parser.parse_args()
    for departments in (40, 4):
        run(args.database_url, departments)


if __name__ == "__main__":
    main()
