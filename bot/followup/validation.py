"""Checking one form's answers: a status, a value that fits the indicator's unit, actions when at risk."""

import math
import re
from dataclasses import dataclass

from bot.config.followup_model import Indicator
from messages.text_limits import FOLLOWUP_TEXT
from storage.followup import AnswerStatus

STATUSES = tuple(AnswerStatus)
NEEDS_ACTIONS = frozenset({AnswerStatus.NOT_MET, AnswerStatus.AT_RISK})
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
NUMBER_LIMIT = 1e12  # far beyond any count or amount a department reports; keeps the form's prefill readable


@dataclass(frozen=True)
class AnswerInput:
    """What the form carried for one indicator, as typed."""

    status: str | None = None
    value: str | None = None
    comment: str | None = None
    actions: str | None = None


@dataclass(frozen=True)
class CleanAnswer:
    indicator_id: str
    status: str
    value_number: float | None
    value_text: str | None
    comment: str | None
    actions: str | None


class InvalidAnswers(Exception):
    """Errors per (indicator id, field), each an error code that messages/ turns into Swedish."""

    def __init__(self, errors: dict[tuple[str, str], str]):
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def _blank(text: str | None) -> str | None:
    text = (text or "").strip()
    return text or None


def parse_number(text: str, percent: bool = False) -> float:
    """'72,5', '1 200' (and '85 %' when `percent`) -> a finite float; raises ValueError."""
    cleaned = text.replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if percent:
        cleaned = cleaned.removesuffix("%")
    if not _NUMBER.match(cleaned):
        raise ValueError(text)
    number = float(cleaned)
    if not math.isfinite(number):
        raise ValueError(text)
    return number


def _value(indicator: Indicator, text: str | None) -> tuple[float | None, str | None]:
    """The stored value for typed text; raises ValueError with an error code."""
    if text is None:
        raise ValueError("value_missing")
    if indicator.unit == "text":
        if len(text) > FOLLOWUP_TEXT:
            raise ValueError("too_long")
        return None, text
    try:
        number = parse_number(text, percent=indicator.unit == "percent")
    except ValueError:
        raise ValueError(f"not_{indicator.unit}") from None
    if abs(number) >= NUMBER_LIMIT:
        raise ValueError("number_range")
    if indicator.unit in ("percent", "index") and not 0 <= number <= 100:
        raise ValueError(f"{indicator.unit}_range")
    return number, None


def clean_answers(indicators: dict[str, Indicator], inputs: dict[str, AnswerInput]) -> list[CleanAnswer]:
    """Validated answers for the indicators in `inputs`; raises InvalidAnswers naming every bad field."""
    errors: dict[tuple[str, str], str] = {}
    cleaned = []
    for indicator_id, raw in inputs.items():
        indicator = indicators[indicator_id]
        status = raw.status if raw.status in STATUSES else None
        if status is None:
            errors[(indicator_id, "status")] = "status_missing"
        comment, actions = _blank(raw.comment), _blank(raw.actions)
        try:
            number, text = _value(indicator, _blank(raw.value))
        except ValueError as exc:
            errors[(indicator_id, "value")] = str(exc)
            number, text = None, None
        if status in NEEDS_ACTIONS and actions is None:
            errors[(indicator_id, "actions")] = "actions_required"
        for field, content in (("comment", comment), ("actions", actions)):
            if content is not None and len(content) > FOLLOWUP_TEXT:
                errors[(indicator_id, field)] = "too_long"
        if status is not None:
            cleaned.append(CleanAnswer(indicator_id, status, number, text, comment, actions))
    if errors:
        raise InvalidAnswers(errors)
    return cleaned
