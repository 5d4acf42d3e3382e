"""The tick's producer for follow-up rounds: invitations, reminders, escalation and the closing summary."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config.followup_model import FollowupRound
from bot.config.model import AssociationConfig
from bot.followup import access
from bot.followup.notices import FOLLOWUP_SOURCE, ask_rows, escalation_rows, summary_rows
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import reporting_departments, round_times
from bot.followup.summary import compile_summary
from storage import followup as store
from storage import outbox, state

log = logging.getLogger(__name__)
TICK_NAME = "followup"


@dataclass
class FollowupReport:
    queued: list[tuple[str, str]] = field(default_factory=list)
    rows: int = 0


def _incomplete(session: Session, config: AssociationConfig, round_: FollowupRound) -> list[Progress]:
    """Departments that have not answered every one of their indicators."""
    answered = store.answered_pairs(session, [round_.id])
    return [progress for progress in round_progress(config, round_.id, answered) if not progress.complete]


def enqueue_due_followup(session: Session, config: AssociationConfig, now: datetime) -> FollowupReport:
    """Queue what is due for every round.

    A round that is open and has sent no invitations yet sends them (late, if the bot was down at opening).
    Reminders and the escalation go out once, after the invitations, when their time fell since the last tick
    (at most the grace period back); when several fell due at once only the latest goes out. A round the bot
    ran gets its summary once it has closed, however late; rounds closed before the bot knew them are left alone.
    """
    grace = timedelta(hours=config.settings.grace_period_hours)
    previous = state.last_tick(session, TICK_NAME)
    window_start = now - grace if previous is None else min(previous, now - grace)
    report = FollowupReport()
    done: dict[str, set[str]] = {}
    round_ids = {r.id for r in config.followup_rounds}
    for item_id, key in outbox.occurrence_keys_of_items(session, FOLLOWUP_SOURCE, round_ids):
        done.setdefault(item_id, set()).add(_kind_of(key))
    for round_ in config.followup_rounds:
        times = round_times(config, round_)
        sent = done.get(round_.id, set())
        kinds = []
        if times.opens_at <= now < times.closes_at and "open" not in sent:
            kinds.append("open")
        elif "open" in sent:
            # Only the latest ask that fell due goes out, and only once: a hand-over later in the window
            # must not send the delegate a reminder that was already sent to the head.
            asks = [(f"reminder:{offset}", at) for offset, at in times.reminders] + [
                ("escalation", times.escalation_at)
            ]
            due = [kind for kind, at in asks if window_start < at <= now < times.closes_at and at >= times.opens_at]
            kinds.extend(kind for kind in due[-1:] if kind not in sent)
        if times.closes_at <= now and "summary" not in sent and ("open" in sent or window_start < times.closes_at):
            kinds.append("summary")
        for kind in kinds:
            report.rows += outbox.enqueue(session, _rows_for(session, config, round_, kind, now))
            report.queued.append((round_.id, kind))
    state.record_tick(session, now, TICK_NAME)
    return report


def _kind_of(occurrence_key: str) -> str:
    """The ask or notice an occurrence key belongs to: 'open:it' -> open, 'reminder:5:it' -> reminder:5."""
    kind, _, rest = occurrence_key.partition(":")
    if kind == "reminder":
        return f"reminder:{rest.partition(':')[0]}"
    if kind == "final-reminder":
        return "escalation"
    return kind


def _rows_for(session: Session, config: AssociationConfig, round_: FollowupRound, kind: str, now: datetime) -> list:
    delegations = store.delegations(session, [round_.id])
    if kind == "summary":
        log.info("follow-up round %s closed; compiling its summary", round_.id)
        return summary_rows(config, compile_summary(session, config, round_), "summary", now)
    if kind == "open":
        asked = [config.department(department_id) for department_id in reporting_departments(config)]
        incomplete = []
    else:
        incomplete = _incomplete(session, config, round_)
        asked = [progress.department for progress in incomplete]
    ask = {"open": "open", "escalation": "final"}.get(kind, "reminder")
    prefix = "final-reminder" if kind == "escalation" else kind
    rows: list[dict] = []
    for department in asked:
        person = access.responder(config, round_.id, department, delegations)
        rows.extend(ask_rows(config, round_, department, person, ask, f"{prefix}:{department.id}", now))
    if kind == "escalation" and incomplete:
        missing = [(p, access.responder(config, round_.id, p.department, delegations)) for p in incomplete]
        rows.extend(escalation_rows(config, round_, missing, now))
    return rows
