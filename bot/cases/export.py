"""Exporting every case with its history, for the association's records (CSV or JSON)."""

import csv
import io
import json
from typing import Any

from sqlmodel import Session

from bot.spreadsheet import text_cell
from storage import cases as store
from storage.cases import CaseEvent, FeedbackCase

FORMATS = ("csv", "json")
CASE_FIELDS = (
    "number",
    "category",
    "department_id",
    "service_id",
    "member_id",
    "description",
    "contact",
    "anonymous",
    "reporter_user_id",
    "source_link",
    "confidential",
    "status",
    "assignee",
    "registered_at",
    "take_due",
    "answer_due",
    "reopen_answer_due",
    "taken_at",
    "answered_at",
    "closed_at",
    "answer",
    "resolution",
)


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _event(event: CaseEvent) -> dict[str, Any]:
    return {"at": event.at.isoformat(), "actor": event.actor, "kind": event.kind, "detail": event.detail}


def case_records(session: Session, year: int | None) -> list[dict[str, Any]]:
    """Every case of `year` (all years when None) as a plain record with its history, oldest first."""
    cases: list[FeedbackCase] = store.cases_in_year(session, year)
    histories = store.history(session, [case.id for case in cases])
    return [
        {
            **{name: _plain(getattr(case, name)) for name in CASE_FIELDS},
            "history": list(map(_event, histories[case.id])),
        }
        for case in cases
    ]


def _history_cell(history: list[dict[str, Any]]) -> str:
    """One line per step: time | step | who | what was written ('-' where there is nothing)."""
    return "\n".join(" | ".join((e["at"], e["kind"], e["actor"] or "-", e["detail"] or "-")) for e in history)


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run as a formula: text starting like one gets a leading '."""
    if value is None:
        return ""
    return text_cell(value) if isinstance(value, str) else value


def export_cases(session: Session, year: int | None, fmt: str) -> str:
    """The export as text: a JSON array, or CSV with one row per case and its history in the last column.

    CSV cells starting with = + - @ (or a tab or carriage return) are prefixed with ' so that Excel shows them as
    text instead of running them as formulas.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; use one of {', '.join(FORMATS)}")
    records = case_records(session, year)
    if fmt == "json":
        return json.dumps(records, ensure_ascii=False, indent=2)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([*CASE_FIELDS, "history"])
    for record in records:
        cells = [_cell(record[name]) for name in CASE_FIELDS]
        writer.writerow([*cells, _cell(_history_cell(record["history"]))])
    return out.getvalue()
