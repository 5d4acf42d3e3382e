"""The association's wall clock: the time zone of its configuration, a moment's local date, and the configured
time of day (settings.default_time) on a date, at which reminders and notices fall due."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from bot.config.model import AssociationConfig


def local_zone(config: AssociationConfig) -> ZoneInfo:
    return ZoneInfo(config.association.timezone)


def local_date(config: AssociationConfig, moment: datetime) -> date:
    return moment.astimezone(local_zone(config)).date()


def at_local_time(config: AssociationConfig, day: date) -> datetime:
    """The configured default time of day on `day`, in the association's time zone; a time in the spring gap is
    read with the offset before it (02:30 becomes 03:30 summer time), as bot/plan/recurrence.py reads one."""
    zone = local_zone(config)
    return datetime.combine(day, config.settings.default_time, tzinfo=zone).astimezone(UTC).astimezone(zone)
