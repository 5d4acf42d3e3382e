"""What several commands share: reading the configuration file, the settings of its platforms, --now and a window
of days."""

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.outcome import UnreadableConfig
from bot.config import AssociationConfig, load_config
from bot.settings import Settings, SettingsError
from storage.platform import Platform


def load(settings: Settings, render_on: date | None = None) -> AssociationConfig:
    """The configuration at settings.config_path; a file that cannot be read is one line, not a traceback.
    With `render_on`, plan messages are test-rendered too (bot.config.render_check)."""
    path = settings.config_path
    try:
        return load_config(path, render_on)
    except OSError as exc:  # a folder or a file that is not UTF-8 is the loader's ConfigFileError, already one line
        raise UnreadableConfig(path, f"{exc.strerror or exc}: set SAMVERKAN_CONFIG or pass --config PATH") from exc


def require_platforms(settings: Settings, config: AssociationConfig, socket_mode: bool = False) -> None:
    """SettingsError naming the first missing setting of a platform the association file enables."""
    if Platform.SLACK in config.platforms:
        settings.require_slack(socket_mode=socket_mode)
    if Platform.TEAMS in config.platforms:
        settings.require_teams()


MAX_DAYS = 3660  # ten years: plenty for a plan view or a calendar export


def parse_now(value: str | None) -> datetime:
    if not value:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise SettingsError(f"--now {value!r} is not an ISO-8601 time like 2027-02-08T08:00+01:00") from exc
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo("Europe/Stockholm"))


def window(config: AssociationConfig, start: str | None, days: int) -> tuple[datetime, datetime]:
    zone = ZoneInfo(config.association.timezone)
    try:
        first = date.fromisoformat(start) if start else datetime.now(zone).date()
    except ValueError as exc:
        raise SettingsError(f"--from {start!r} is not a date like 2027-02-01") from exc
    if days < 1:
        raise SettingsError("--days must be at least 1")
    if days > MAX_DAYS:
        raise SettingsError(f"--days must be at most {MAX_DAYS}")
    begin = datetime.combine(first, time(), tzinfo=zone)
    return begin, begin + timedelta(days=days) - timedelta(microseconds=1)


def write_out(out: str, data: bytes) -> None:
    """Write an --out file; a path that cannot be written is a one-line settings error, not a traceback."""
    path = Path(out)
    if path.is_dir():
        raise SettingsError(f"--out {path} is a folder: name the file to write")
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise SettingsError(f"cannot write {path} ({exc.strerror or exc}): choose another --out FILE") from exc
    print(f"wrote {path}")
