"""The tick's producer for follow-up rounds: invitations, reminders, escalation and the closing summary."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config.followup_model import FollowupRound
from bot.config.model import AssociationConfig
from bot.followup import access
from bot.followup.notices import FOLLOWUP_SOURCE, ask_rows, escalation_rows, summary_rows
from bot.followup.rounds import indicators_for, reporting_departments, round_times
from bot.followup.summary import compile_summary
from storage import followup as store
from storage import outbox, state

log = logging.getLogger(__name__)
TICK_NAME = "followup"


@dataclass
class FollowupReport:
    queued: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 0


def _missing_departments(session: Session, config: AssociationConfig, round_: FollowupRound) -> list[str]:
    """Departments that have not answered every one of their indicators."""
    answered = store.answered_pairs(session, [round_.id])
    return [
        department_id
        for department_id in reporting_departments(config)
        if any((round_.id, department_id, i.id) not in answered for _, i in indicators_for(config, department_id))
    ]


def enqueue_due_followup(session: Session, config: AssociationConfig, now: datetime) -> FollowupReport:
    """Queue every round moment that fell due since the last tick (at most the grace period back)."""
    grace = timedelta(hours=config.settings.grace_period_hours)
    previous = state.last_tick(session, TICK_NAME)
    window_start = now - grace if previous is None else min(previous, now - grace)
    report = FollowupReport()
    round_ids = {round_.id for round_ in config.followup_rounds}
    done = outbox.existing_occurrences(session, FOLLOWUP_SOURCE, round_ids)
    for round_ in config.followup_rounds:
        times = round_times(config, round_)
        due = [
            (kind, at)
            for kind, at in (
                ("open", times.opens_at),
                *((f"reminder:{offset}", at) for offset, at in times.reminders),
                ("escalation", times.escalation_at),
                ("summary", times.closes_at),
            )
            if window_start < at <= now and at >= times.opens_at
        ]
        asks = [kind for kind, _ in due if kind != "summary"]
        for kind, _ in due:
            if kind in asks and kind != asks[-1]:
                continue  # several asks fell due at once (the bot was down): only the latest goes out
            if (round_.id, kind) in done:
                continue
            rows = _rows_for(session, config, round_, kind, now)
            report.rows += outbox.enqueue(session, rows)
            report.queued.append((round_.id, kind))
    state.record_tick(session, now, TICK_NAME)
    return report


def _rows_for(session: Session, config: AssociationConfig, round_: FollowupRound, kind: str, now: datetime) -> list:
    delegations = store.delegations(session, [round_.id])
    if kind == "summary":
        log.info("follow-up round %s closed; compiling its summary", round_.id)
        return summary_rows(config, compile_summary(session, config, round_), "summary", now)
    department_ids = reporting_departments(config) if kind == "open" else _missing_departments(session, config, round_)
    rows: list[dict] = []
    missing = []
    for department_id in department_ids:
        department = config.department(department_id)
        person = access.responder(config, round_.id, department, delegations)
        missing.append((department, person))
        ask = {"open": "open", "escalation": "final"}.get(kind, "reminder")
        key = f"{'final-reminder' if kind == 'escalation' else kind}:{department_id}"
        rows.extend(ask_rows(config, round_, department, person, ask, key, now))
    if kind == "escalation" and missing:
        rows.extend(escalation_rows(config, round_, missing, now))
    return rows
