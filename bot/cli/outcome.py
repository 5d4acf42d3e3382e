"""Exit codes, one rule for every command, and the one line an operator reads for each expected failure."""

import sys
from dataclasses import dataclass
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.config.errors import ConfigError


class Exit(IntEnum):
    OK = 0
    PROBLEMS = 1  # the command ran and found problems: plan check, doctor, a tick whose deliveries failed
    USAGE = 2  # a usage, settings or configuration error the operator must fix before the command can run
    RUNTIME = 3  # something outside failed while the command ran: the database is unreachable, the port is taken


class RuntimeFailure(Exception):
    """Something outside the configuration and settings failed; the message says what to do."""


class UnreadableConfig(Exception):
    """The configuration file exists under that name but cannot be read as text."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: cannot read the configuration file: {reason}")


@dataclass(frozen=True)
class Failure:
    code: Exit
    text: str


def _loaded_class(module: str, name: str) -> type | None:
    """An exception class from a module only if that module is loaded: an error cannot come from one that is not,
    and importing SQLAlchemy or Alembic just to rule it out would slow down every failing command."""
    loaded = sys.modules.get(module)
    return getattr(loaded, name, None) if loaded else None


def _config_text(error: "ConfigError") -> str:
    """A problem with the file as a whole (missing, a folder, not UTF-8) in one line; else every problem listed."""
    problems = error.problems
    if len(problems) == 1 and problems[0].line is None and not problems[0].path:
        return f"{error.filename}: {problems[0].message}"
    return error.render()


def explain(error: Exception, checks_config: bool) -> Failure | None:
    """The exit code and line for an expected failure, or None for a fault in the code (then a traceback helps).

    Problems in the configuration file exit 1 from the commands whose job is to find them (plan check, doctor)
    and 2 from every other command, which cannot run on such a file.
    """
    from bot.settings import SettingsError

    config_code = Exit.PROBLEMS if checks_config else Exit.USAGE
    config_error = _loaded_class("bot.config.errors", "ConfigError")
    if config_error and isinstance(error, config_error):
        return Failure(config_code, _config_text(error))
    if isinstance(error, UnreadableConfig):
        return Failure(config_code, str(error))
    usage = tuple(
        cls
        for cls in (
            SettingsError,
            _loaded_class("storage.migrate", "SchemaOutOfDate"),
            _loaded_class("storage.engine", "UnsupportedDatabase"),
        )
        if cls
    )
    if isinstance(error, usage):
        return Failure(Exit.USAGE, f"samverkan: {error}")
    if isinstance(error, RuntimeFailure):
        return Failure(Exit.RUNTIME, f"samverkan: {error}")
    operational = _loaded_class("sqlalchemy.exc", "OperationalError")
    if operational and isinstance(error, operational):
        reason = str(getattr(error, "orig", None) or error).strip().splitlines()[0]
        return Failure(
            Exit.RUNTIME,
            f"samverkan: cannot use the database ({reason}): check DATABASE_URL and that the database is running",
        )
    return None
