"""`samverkan plan check | show | ics`: the configuration validated, the occurrences listed or exported."""

import argparse
import json
import sys
from datetime import UTC, datetime

from bot.cli.common import load, window, write_out
from bot.cli.outcome import Exit
from bot.plan.audience import recipients
from bot.plan.ics import plan_calendar
from bot.plan.occurrences import occurrences_between
from bot.settings import Settings


def check(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings, render_on=datetime.now(UTC).date())
    counts = [
        _count(len(config.plan), "plan item", "plan items"),
        _count(len(config.people), "person", "people"),
        _count(len(config.forums), "forum", "forums"),
        _count(len(config.events), "event", "events"),
    ]
    print(f"{settings.config_path}: OK – {', '.join(counts)}")
    return Exit.OK


def _count(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


def show(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    begin, end = window(config, args.start, args.days)
    rows = []
    for occurrence in occurrences_between(config, begin, end):
        item = occurrence.item
        rows.append(
            {
                "item": item.id,
                "title": item.title,
                "at": occurrence.at.isoformat(),
                "delivery": item.delivery,
                "recipients": [r.label for r in recipients(config, item.audience, item.delivery)],
                "owner": config.person(item.owner).name,
                "occurrence": occurrence.key,
            }
        )
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return Exit.OK
    for row in rows:
        how = "post in" if row["delivery"] == "channel" else "DM to"
        print(f"{row['at'][:16].replace('T', ' ')}  {row['title']}  ({how}: {', '.join(row['recipients'])})")
    if not rows:
        print("nothing planned in this window")
    return Exit.OK


def ics(args: argparse.Namespace, settings: Settings) -> int:
    config = load(settings)
    begin, end = window(config, args.start, args.days)
    data = plan_calendar(config, begin, end, stamp=datetime.now(UTC))
    if args.out:
        write_out(args.out, data)
    else:
        sys.stdout.buffer.write(data)
    return Exit.OK
