"""Configuration problems: each with file, line, path in the document and what is wrong."""

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class ConfigProblem:
    path: str
    message: str
    line: int | None = None

    def render(self, filename: str) -> str:
        where = f"{filename}:{self.line}" if self.line else filename
        return f"{where}: {self.path or '(top)'}: {self.message}"


class ConfigError(Exception):
    """Raised with every problem found in a configuration file."""

    def __init__(self, filename: str, problems: list[ConfigProblem]):
        self.filename = filename
        self.problems = problems
        super().__init__(self.render())

    def render(self) -> str:
        count = len(self.problems)
        head = f"{self.filename}: {count} error{'s' if count != 1 else ''} in the configuration"
        return "\n".join([head, *(problem.render(self.filename) for problem in self.problems)])


class ConfigFileError(ConfigError):
    """The file cannot be read as an association file at all (a folder, not UTF-8, not YAML, empty): one line."""

    def __init__(self, filename: str, message: str, line: int | None = None):
        super().__init__(filename, [ConfigProblem("", message, line)])

    def render(self) -> str:
        problem = self.problems[0]
        where = f"{self.filename}:{problem.line}" if problem.line else self.filename
        return f"{where}: {problem.message}"


class ConfigFileMissing(ConfigFileError):
    """The configuration file does not exist: one line saying what to set."""

    def __init__(self, filename: str):
        super().__init__(filename, "file not found: set SAMVERKAN_CONFIG or pass --config PATH")


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest candidate, or ''."""
    match = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""
