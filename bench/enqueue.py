"""Enqueueing one plan item as a DM to 20,000 people: total and per-row cost on SQLite and PostgreSQL.

The tick's producers run as the scheduler runs them (bot.tick.queue_due_work) against a fresh, migrated database;
nothing is sent. Each database runs a 1,000-recipient tick first and a 20,000-recipient one after it in the same
process, so the ratio of their per-row costs shows whether the cost grows faster than the rows.

The item's message is the same for everyone by default (as in the example association); `--personal` makes it
name each recipient, so that it is rendered 20,000 times.

    python bench/enqueue.py [--recipients 20000] [--baseline 1000] [--personal] [--database-url URL ...] [--json]
"""

import argparse
import json
import logging
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from bench.databases import PG_URL, Database  # noqa: E402
from bench.scale_support import config_text  # noqa: E402
from bot.config import AssociationConfig, parse_config  # noqa: E402
from bot.tick import queue_due_work  # noqa: E402
from storage.engine import make_engine, session_scope  # noqa: E402
from storage.outbox import Delivery  # noqa: E402

NOW = datetime(2027, 2, 1, 9, 0, tzinfo=ZoneInfo("Europe/Stockholm"))  # the item is due at 08:30
TARGET_SECONDS = 2.0


def rows_in_outbox(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(Delivery)) or 0


def one_run(database_url: str | None, config: AssociationConfig, recipients: int) -> dict:
    """One tick's producers for a `recipients`-person DM item on a fresh database."""
    with Database(database_url) as url:
        engine = make_engine(url)
        try:
            began = time.perf_counter()
            _reports, errors = queue_due_work(engine, config, NOW)
            seconds = time.perf_counter() - began
            rows = rows_in_outbox(engine)
        finally:
            engine.dispose()
    return {
        "recipients": recipients,
        "seconds": seconds,
        "rows": rows,
        "ms_per_recipient": 1000 * seconds / recipients,
        "error": errors[0].splitlines()[0][:160] if errors else None,
        "database": make_url(url).get_backend_name(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--recipients", type=int, default=20_000)
    parser.add_argument("--baseline", type=int, default=1_000)
    parser.add_argument(
        "--database-url", action="append", help=f"default: a temp SQLite file and {PG_URL} (its own database)"
    )
    parser.add_argument("--personal", action="store_true", help="a message that names each recipient")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.CRITICAL)  # a failing insert would log its whole statement
    configs = {
        n: parse_config(config_text(n, args.personal), "<enqueue bench>") for n in (args.baseline, args.recipients)
    }
    results = []
    for url in args.database_url or [None, PG_URL]:
        small = one_run(url, configs[args.baseline], args.baseline)
        large = one_run(url, configs[args.recipients], args.recipients)
        ratio = large["ms_per_recipient"] / small["ms_per_recipient"] if small["ms_per_recipient"] else 0.0
        results.append({"baseline": small, "large": large, "per_row_ratio": ratio})
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for result in results:
        small, large = result["baseline"], result["large"]
        print(f"{large['database']} ({'personal' if args.personal else 'shared'} message):")
        for run in (small, large):
            status = f"FAILED ({run['error']})" if run["error"] else "ok"
            print(
                f"  {run['recipients']:>6} recipients: {run['seconds']:7.2f} s total, "
                f"{run['ms_per_recipient']:.3f} ms/row, {run['rows']} rows queued, {status}"
            )
        met = not large["error"] and large["seconds"] < TARGET_SECONDS
        print(f"  per-row cost ratio {large['recipients']}/{small['recipients']}: {result['per_row_ratio']:.2f}")
        print(f"  target ({large['recipients']} rows under {TARGET_SECONDS:.0f} s): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
