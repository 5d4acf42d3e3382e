"""Configuration of follow-up rounds: goals with their indicators, and the year's rounds."""

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from bot.config.section import Id, Section, not_before

Unit = Literal["number", "percent", "index", "text"]
Operator = Literal[">=", "<=", ">", "<", "="]
Source = Literal["bas_survey"]  # where an indicator's value is pre-filled from in the form
TARGET_PATTERN = re.compile(
    r"^\s*(?:(?P<label>[^<>=]*?)\s*)?(?P<op>>=|<=|>|<|=)\s*(?P<value>-?\d+(?:[.,]\d+)?)\s*%?\s*$"
)


class Target(Section):
    """A target with its direction, written as e.g. 'NKI >= 70' or '<= 5'."""

    operator: Operator
    value: float
    label: str = ""

    @model_validator(mode="before")
    @classmethod
    def _parse(cls, data: Any) -> Any:
        if isinstance(data, int | float) and not isinstance(data, bool):
            return {"operator": ">=", "value": data}
        if not isinstance(data, str):
            return data
        match = TARGET_PATTERN.match(data)
        if match is None:
            raise ValueError(f"'{data}' is not a target; write e.g. 'NKI >= 70', '>= 95' or '<= 5'")
        return {
            "operator": match["op"],
            "value": float(match["value"].replace(",", ".")),
            "label": (match["label"] or "").strip(),
        }

    def met_by(self, value: float) -> bool:
        return {
            ">=": value >= self.value,
            "<=": value <= self.value,
            ">": value > self.value,
            "<": value < self.value,
            "=": value == self.value,
        }[self.operator]

    def __str__(self) -> str:
        number = f"{self.value:g}".replace(".", ",")
        return f"{self.label} {self.operator} {number}".strip()


class Indicator(Section):
    """One figure a department reports each round. `source: bas_survey` pre-fills its value in the form with the NKI
    index of the last closed BAS survey round (bot/surveys/results.latest_nki), which the department may change;
    with no survey configured, no round closed or its index hidden, nothing is pre-filled."""

    id: Id
    name: str
    unit: Unit
    target: Target | None = None
    departments: list[Id] | Literal["all"] = "all"
    source: Source | None = None

    @model_validator(mode="after")
    def _target_fits_unit(self) -> "Indicator":
        if self.unit == "text" and self.target is not None:
            raise ValueError("a text indicator cannot have a numeric target")
        if self.source == "bas_survey" and self.unit in ("number", "percent", "text"):  # a bad unit: its own error
            raise ValueError("an indicator with source bas_survey takes the survey's NKI index: give it unit index")
        if self.unit == "percent" and self.target is not None and not 0 <= self.target.value <= 100:
            raise ValueError("a percent target must lie between 0 and 100")
        return self

    def reported_by(self, department_id: str) -> bool:
        return self.departments == "all" or department_id in self.departments


class Goal(Section):
    id: Id
    name: str
    description: str = ""
    indicators: list[Indicator] = Field(min_length=1)


class Deadline(Section):
    """A fixed date, or a number of working days from a configured event (negative: before it)."""

    date: dt.date | None = None
    relative_to: Id | None = None
    offset_working_days: int = 0

    @model_validator(mode="before")
    @classmethod
    def _bare_date(cls, data: Any) -> Any:
        if isinstance(data, dt.date | str):
            return {"date": data}
        return data

    @model_validator(mode="after")
    def _one_kind(self) -> "Deadline":
        if (self.date is None) == (self.relative_to is None):
            raise ValueError("give either date or relative_to (an event id), not both or neither")
        if self.date is not None and self.offset_working_days:
            raise ValueError("offset_working_days belongs to a relative_to deadline")
        return self


class FollowupRound(Section):
    """One follow-up round: the period it covers, when it opens, its deadline, reminders and escalation."""

    id: Id
    name: str
    kind: Literal["tertial", "interim", "annual"]
    period_start: dt.date
    period_end: dt.date
    opens: dt.date
    deadline: Deadline
    reminders_working_days_before: list[Annotated[int, Field(ge=0, le=60)]] = [5, 1]
    escalation_working_days_after: int = Field(default=1, ge=1, le=30)
    closes_working_days_after: int = Field(default=5, ge=1, le=60)

    _period_ordered = not_before("period_end", "period_start", "period_end is before period_start")

    @model_validator(mode="after")
    def _ordered(self) -> "FollowupRound":
        if self.deadline.date is not None and self.deadline.date < self.opens:
            raise ValueError("the deadline is before the round opens")
        if self.closes_working_days_after <= self.escalation_working_days_after:
            # An escalation at the closing moment would never be sent: the round is already closed.
            raise ValueError(
                "the round must close after the escalation: closes_working_days_after must be greater than "
                "escalation_working_days_after"
            )
        return self
