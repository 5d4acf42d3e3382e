"""Until when a rendered view stays true with nothing written: the next moment time alone changes it (the next
day, a follow-up or survey round opening or closing, the person's next plan message going out)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.config.model import AssociationConfig, Person
from bot.followup.rounds import round_times
from bot.plan.command import DAYS
from bot.plan.overview import upcoming_for
from bot.surveys.rounds import rounds_until


def valid_until(config: AssociationConfig, person: Person | None, now: datetime) -> datetime:
    """The earliest moment after `now` at which the view of `person` may change by time alone."""
    zone = ZoneInfo(config.association.timezone)
    midnight = datetime.combine(now.astimezone(zone).date() + timedelta(days=1), time(), tzinfo=zone)
    moments = [midnight]
    for round_ in config.followup_rounds:
        times = round_times(config, round_)
        moments += [times.opens_at, times.closes_at]
    for survey in config.surveys:
        moments += [at for round_ in rounds_until(config, survey, now) for at in (round_.opens_at, round_.closes_at)]
    moments += [entry.occurrence.at for entry in upcoming_for(config, person, now, DAYS)[:1]]
    return min(moment for moment in moments if moment > now)
