"""The tick's producer for follow-up rounds: invitations, reminders, escalation and the closing summary."""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.config.followup_model import FollowupRound
from bot.config.model import AssociationConfig
from bot.delivery.keys import Ask, Source, followup_ask, followup_escalation, followup_summary
from bot.followup import access
from bot.followup.notices import ask_rows, escalation_rows, summary_rows
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import reporting_departments, round_times
from bot.followup.summary import compile_summary
from storage import followup as store
from storage import outbox, state

log = logging.getLogger(__name__)
TICK_NAME = "followup"


@dataclass(frozen=True)
class Stage:
    """A step of a round the tick sends once: open, reminder (`step`: days before closing), escalation, summary."""

    name: str
    step: str = ""

    @property
    def label(self) -> str:
        return f"{self.name}:{self.step}" if self.step else self.name


OPEN, ESCALATION, SUMMARY = Stage("open"), Stage("escalation"), Stage("summary")


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
    for round_ in config.followup_rounds:
        times = round_times(config, round_)
        reminders = [(Stage("reminder", str(offset)), at) for offset, at in times.reminders]
        sent = _sent(session, config, round_, [stage for stage, _ in reminders])
        stages = []
        if times.opens_at <= now < times.closes_at and OPEN not in sent:
            stages.append(OPEN)
        elif OPEN in sent:
            # Only the latest ask that fell due goes out, and only once: a hand-over later in the window
            # must not send the delegate a reminder that was already sent to the head.
            asks = [*reminders, (ESCALATION, times.escalation_at)]
            due = [stage for stage, at in asks if window_start < at <= now < times.closes_at and at >= times.opens_at]
            stages.extend(stage for stage in due[-1:] if stage not in sent)
        if times.closes_at <= now and SUMMARY not in sent and (OPEN in sent or window_start < times.closes_at):
            stages.append(SUMMARY)
        for stage in stages:
            report.rows += outbox.enqueue(session, _rows_for(session, config, round_, stage, now))
            report.queued.append((round_.id, stage.label))
    state.record_tick(session, now, TICK_NAME)
    return report


def _sent(session: Session, config: AssociationConfig, round_: FollowupRound, reminders: list[Stage]) -> set[Stage]:
    """The stages of the round that have rows in the outbox, found by the keys they write (to any department)."""
    departments = reporting_departments(config)
    written = {
        OPEN: [followup_ask(round_.id, Ask.OPEN, d) for d in departments],
        **{stage: [followup_ask(round_.id, Ask.REMINDER, d, stage.step) for d in departments] for stage in reminders},
        ESCALATION: [followup_escalation(round_.id)] + [followup_ask(round_.id, Ask.FINAL, d) for d in departments],
        SUMMARY: [followup_summary(round_.id, to_board=False)],
    }
    wanted = {(key.item_id, key.occurrence) for keys in written.values() for key in keys}
    found = outbox.existing_occurrences(session, Source.FOLLOWUP, wanted)
    return {stage for stage, keys in written.items() if any((key.item_id, key.occurrence) in found for key in keys)}


def _rows_for(
    session: Session, config: AssociationConfig, round_: FollowupRound, stage: Stage, now: datetime
) -> list[dict]:
    delegations = store.delegations(session, [round_.id])
    if stage == SUMMARY:
        log.info("follow-up round %s closed; compiling its summary", round_.id)
        return summary_rows(config, compile_summary(session, config, round_), now, on_request=False)
    if stage == OPEN:
        asked = [config.department(department_id) for department_id in reporting_departments(config)]
        incomplete = []
    else:
        incomplete = _incomplete(session, config, round_)
        asked = [progress.department for progress in incomplete]
    ask = {OPEN: Ask.OPEN, ESCALATION: Ask.FINAL}.get(stage, Ask.REMINDER)
    rows: list[dict] = []
    for department in asked:
        person = access.responder(config, round_.id, department, delegations)
        rows.extend(ask_rows(config, round_, department, person, ask, now, step=stage.step))
    if stage == ESCALATION and incomplete:
        missing = [(p, access.responder(config, round_.id, p.department, delegations)) for p in incomplete]
        rows.extend(escalation_rows(config, round_, missing, now))
    return rows
