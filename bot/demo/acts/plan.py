"""Act 1: the communication plan, with a few days of downtime and a channel the bot cannot post in."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.demo.stage import Stage
from bot.demo.transcript import Act
from messages.swedish import date_long, date_short, time_of_day

DOWNTIME_DAYS = (16, 21)  # the bot is "down" from the morning of day 16 to noon on day 21
BROKEN_CHANNEL = "C0LEDNINGS"  # the bot was never invited here (on Teams: never installed), so deliveries fail


def play(stage: Stage, start: date, weeks: int, broken_name: str) -> Act:
    config = stage.config
    zone = ZoneInfo(config.association.timezone)
    begin = datetime.combine(start, time(0, 0), tzinfo=zone)
    end = begin + timedelta(weeks=weeks)
    down_from = begin + timedelta(days=DOWNTIME_DAYS[0], hours=7)
    down_until = begin + timedelta(days=DOWNTIME_DAYS[1], hours=12)
    downtime = (
        f"Boten är avstängd {date_short(down_from)} kl. {time_of_day(down_from)}–{date_short(down_until)} kl. "
        f"{time_of_day(down_until)}, och den"
        if down_until <= end
        else "Boten"
    )
    stage.start(
        "Akt 1 – Kommunikationsplanen",
        [
            *stage.prologue,
            f"Simulerad tid: {date_long(start)} och {weeks} veckor framåt. {downtime} "
            f"{stage.not_reachable(broken_name)}: se rapporterna till de ansvariga nedan.",
        ],
        hide_plan=False,
    )
    director = config.roles["director"]
    stage.clock.set(datetime.combine(start, time(7, 0), tzinfo=zone))
    stage.command(director, "/kommunikationsplan")
    moments = sorted({*stage.scheduled_between(stage.clock.now(), end), down_until})
    for moment in moments:
        if moment <= end and not down_from <= moment < down_until:
            stage.tick(moment)
    stage.clock.set(end)
    stage.command(director, "/kommunikationsplan", "status")
    return stage.act
