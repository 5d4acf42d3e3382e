"""Benchmark: a BAS survey round's results, from the database to the finished digest with its CSV and Excel files.

The example association's 4 members each take all 6 services; each member has 12 responses in each of 8 rounds
(four years, twice a year), every rating answered. Measures, for the last round: compiling the results (with the
change since the round before and the trend across all eight) and its SQL statement count, then the digest's
outbox rows (the text to the director and the leadership group, CSV and Excel attached). The target is the
total under 1 s with a number of statements that does not grow with members or services: the same is run for
1 member, and the ratios printed (tests/test_survey_results.py checks the count for 1 and 4 members too). Each
step runs `--repeat` times; the median and the slowest are printed. Prints figures; asserts nothing.

    python bench/survey_compile.py [--database-url URL] [--repeat 7]
"""

import argparse
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, event, insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.databases import Database  # noqa: E402
from bot.config import AssociationConfig, load_config  # noqa: E402
from bot.surveys.notices import results_rows  # noqa: E402
from bot.surveys.results import compile_results  # noqa: E402
from bot.surveys.rounds import SurveyRound, rounds_until  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.surveys import SurveyAnswer, SurveyResponse  # noqa: E402

EXAMPLE = Path(__file__).resolve().parent.parent / "bot" / "demo" / "vmkf.yaml"
RESPONSES = 12  # per member and round
YEARS = 4
TARGET_SECONDS = 1.0
NOW = datetime(2031, 1, 1, tzinfo=UTC)


def association(members: int, services: int) -> AssociationConfig:
    """The example association with its first `members` members, each taking the first `services` services."""
    data = load_config(EXAMPLE).model_dump(mode="json", exclude_none=True)
    data["members"] = data["members"][:members]
    data["services"] = [{**service, "kind": "base", "members": []} for service in data["services"][:services]]
    for service in data["services"]:
        del service["members"]
    data["surveys"][0]["last_year"] = data["surveys"][0]["first_year"] + YEARS - 1
    return AssociationConfig.model_validate(data)


def fill(engine: Engine, config: AssociationConfig) -> tuple[list[SurveyRound], int]:
    """Every member's responses in every round; the rounds and the answers written."""
    survey = config.surveys[0]
    rounds = rounds_until(config, survey, NOW)
    nki = [("", question) for question in ("overall", "expectations", "ideal")]
    ratings = [(s.id, q) for s in config.services for q in ("quality", "responsiveness", "availability")]
    written = 0
    with session_scope(engine) as session:
        for r, round_ in enumerate(rounds):
            responses = [
                {"survey_id": survey.id, "round_opens": round_.opens, "member_id": member.id,
                 "ballot": uuid.uuid4().hex, "revision": 1}
                for member in config.members
                for _ in range(RESPONSES)
            ]  # fmt: skip
            session.execute(insert(SurveyResponse.__table__), responses)
            ids = session.scalars(select(SurveyResponse.id).where(SurveyResponse.round_opens == round_.opens)).all()
            answers = [
                {
                    "response_id": rid,
                    "service_id": service,
                    "question": question,
                    "score": 1 + (rid + r + n) % 10,
                    "text": None,
                }
                for rid in ids
                for n, (service, question) in enumerate(nki + ratings)
            ]
            answers += [
                {
                    "response_id": rid,
                    "service_id": s.id,
                    "question": "improve",
                    "score": None,
                    "text": "Snabbare svar i supporten",
                }
                for rid in ids[::3]
                for s in config.services
            ]
            session.execute(insert(SurveyAnswer.__table__), answers)
            written += len(answers)
    return rounds, written


def timed(step: Callable[[], object], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return times


def measure(engine: Engine, config: AssociationConfig, round_: SurveyRound, repeat: int) -> dict:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    def compile_once():
        with session_scope(engine) as session:
            return compile_results(session, config, round_)

    event.listen(engine, "before_cursor_execute", count)
    try:
        results = compile_once()
    finally:
        event.remove(engine, "before_cursor_execute", count)
    compiled = timed(compile_once, repeat)
    digest = timed(lambda: results_rows(config, results, NOW), repeat)
    return {
        "compile": compiled,
        "digest": digest,
        "total": [a + b for a, b in zip(compiled, digest, strict=True)],
        # session_scope's own BEGIN/COMMIT are not statements of the compile; count only what it asks
        "statements": len([s for s in statements if s.lstrip().upper().startswith("SELECT")]),
    }


def ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:6.1f} ms (slowest {max(times) * 1000:6.1f})"


def run(database_url: str | None, members: int, services: int, repeat: int) -> dict:
    with Database(database_url) as url:
        engine = make_engine(url)
        config = association(members, services)
        rounds, answers = fill(engine, config)
        figures = measure(engine, config, rounds[-1], repeat)
        engine.dispose()
    print(
        f"{members} member(s) x {services} service(s), {len(rounds)} rounds, {answers} answers; "
        f"median of {repeat} runs:"
    )
    print(f"  compile (results, change, trend)   {ms(figures['compile'])}, {figures['statements']} SQL statement(s)")
    print(f"  digest rows (text, CSV, Excel)     {ms(figures['digest'])}")
    verdict = "met" if statistics.median(figures["total"]) < TARGET_SECONDS else "MISSED"
    print(f"  total                              {ms(figures['total'])}; target < {TARGET_SECONDS:g} s: {verdict}")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temp SQLite file; a PostgreSQL URL gets its own database")
    parser.add_argument("--repeat", type=int, default=7, help="runs of each step (default 7)")
    args = parser.parse_args()
    full = run(args.database_url, 4, 6, args.repeat)
    single = run(args.database_url, 1, 6, args.repeat)
    ratio = statistics.median(full["total"]) / statistics.median(single["total"])
    counts = f"{full['statements']} vs {single['statements']} SQL statements"
    print(f"4 members against 1 (6 services each): {counts}, total time x{ratio:.2f}")


if __name__ == "__main__":
    main()
