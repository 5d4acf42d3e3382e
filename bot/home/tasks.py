"""Gathering what one person must do now: follow-up forms, complaint cases, acknowledgements, decision tasks and
surveys. A fixed number of statements whatever the number of tasks (each kind reads its rows in one or two)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlmodel import Session

from bot.acknowledgements.audiences import acknowledgers, plan_audience
from bot.acknowledgements.deliveries import Arrival, Sent, digests_to_members, plan_messages
from bot.acknowledgements.records import acknowledgements_of
from bot.acknowledgements.subjects import board_digest_subject, member_audience, plan_subject
from bot.board.meetings import find_meeting
from bot.board.tasks import DecisionTask, released_tasks
from bot.cases.permissions import case_handlers, department_routed
from bot.config.followup_model import FollowupRound
from bot.config.model import AssociationConfig, Department, Event, Member, Person, PlanItem
from bot.followup.access import responder
from bot.followup.progress import Progress, round_progress
from bot.followup.rounds import open_rounds as open_followup_rounds
from bot.followup.rounds import round_times
from bot.surveys.answers import rounds_asking
from bot.surveys.audience import contacts_per_member, respondents
from bot.surveys.rounds import SurveyRound
from storage import followup as followup_store
from storage import surveys as survey_store
from storage.cases import OPEN_STATUSES, CaseStatus, FeedbackCase

ACKNOWLEDGEMENT_DAYS = 90  # plan messages older than this no longer ask for an acknowledgement in the view


@dataclass(frozen=True)
class FormDue:
    """A follow-up form the person answers for a department in an open round."""

    round: FollowupRound
    department: Department
    deadline: date
    progress: Progress


@dataclass(frozen=True)
class CaseTask:
    """An open case assigned to the person, or new and untaken in a department they handle (`mine` False)."""

    case: FeedbackCase
    department: Department
    mine: bool


@dataclass(frozen=True)
class AcknowledgementTask:
    """A board digest or plan message the person acknowledges for `audience` (a municipality, or themselves)."""

    subject: str
    audience: str
    sent_at: datetime
    meeting: Event | None = None  # a board digest's meeting
    item: PlanItem | None = None  # a plan message's item
    member: Member | None = None  # the municipality acknowledged for


@dataclass(frozen=True)
class SurveyTask:
    """A survey round asking the person. In an anonymous survey the bot cannot know whether they answered:
    `answered`/`asked` count their municipality's responses and contacts instead."""

    round: SurveyRound
    member: Member
    anonymous: bool
    answered: int = 0
    asked: int = 0


@dataclass(frozen=True)
class MyTasks:
    forms: list[FormDue]
    cases: list[CaseTask]
    acknowledgements: list[AcknowledgementTask]
    decisions: list[tuple[DecisionTask, Event | None]]
    surveys: list[SurveyTask]

    @property
    def count(self) -> int:
        return len(self.forms) + len(self.cases) + len(self.acknowledgements) + len(self.decisions) + len(self.surveys)


def gather_tasks(session: Session, config: AssociationConfig, person: Person, now: datetime) -> MyTasks:
    """Everything `person` must do as of `now`, each kind in the order it is best done."""
    return MyTasks(
        forms=forms_due(session, config, person, now),
        cases=case_tasks(session, config, person),
        acknowledgements=acknowledgement_tasks(session, config, person, now),
        decisions=[
            (task, find_meeting(config, task.decision.meeting_id)) for task in released_tasks(session, owner=person.id)
        ],  # fmt: skip
        surveys=survey_tasks(session, config, person, now),
    )


def forms_due(session: Session, config: AssociationConfig, person: Person, now: datetime) -> list[FormDue]:
    """The departments the person answers for in open rounds whose answers are not complete."""
    rounds = open_followup_rounds(config, now)
    if not rounds:
        return []
    ids = [round_.id for round_ in rounds]
    answered = followup_store.answered_pairs(session, ids)
    handed = followup_store.delegations(session, ids)
    due = []
    for round_ in rounds:
        delegations = [d for d in handed if d.round_id == round_.id]
        for progress in round_progress(config, round_.id, answered):
            if progress.complete or responder(config, round_.id, progress.department, delegations).id != person.id:
                continue
            due.append(FormDue(round_, progress.department, round_times(config, round_).deadline, progress))
    return sorted(due, key=lambda form: form.deadline)


def case_tasks(session: Session, config: AssociationConfig, person: Person) -> list[CaseTask]:
    """Open cases assigned to the person, then new ones nobody has taken in the departments they handle."""
    handled = [
        d.id for d in config.departments if department_routed(config, d.id) and person in case_handlers(config, d.id)
    ]
    statement = select(FeedbackCase).where(
        FeedbackCase.status.in_(OPEN_STATUSES),
        or_(
            FeedbackCase.assignee == person.id,
            (FeedbackCase.status == CaseStatus.NEW) & FeedbackCase.department_id.in_(handled),
        ),
    )
    tasks = []
    for case in session.scalars(statement.order_by(FeedbackCase.id)):
        department = config.find_department(case.department_id)
        if department is not None:
            tasks.append(CaseTask(case, department, mine=case.assignee == person.id))
    return sorted(tasks, key=lambda task: (not task.mine, task.case.id or 0))


def acknowledgement_tasks(
    session: Session, config: AssociationConfig, person: Person, now: datetime
) -> list[AcknowledgementTask]:
    """Board digests to municipalities the person acknowledges for, and plan messages asking for an
    acknowledgement that reached the person (a DM, or a municipality's channel they acknowledge for), that nobody
    has acknowledged yet. Channels whose acknowledger is anyone are left out: they are nobody's task."""
    found: list[AcknowledgementTask] = []
    members = {member.id: member for member in config.members if member.acknowledger == person.id}
    if members and config.board is not None:
        for sent in digests_to_members(session):
            if sent.about in members and (at := _arrived(sent)) is not None:
                subject, audience = board_digest_subject(sent.item_id), member_audience(sent.about)
                meeting = find_meeting(config, sent.item_id)
                found.append(AcknowledgementTask(subject, audience, at, meeting=meeting, member=members[sent.about]))
    items = {item.id: item for item in config.plan if item.acknowledge}
    for sent in plan_messages(session, set(items), now - timedelta(days=ACKNOWLEDGEMENT_DAYS)):
        audience = plan_audience(config, sent.recipient)
        if (at := _arrived(sent)) is not None and person.id in acknowledgers(config, audience):
            member = next((m for m in config.members if member_audience(m.id) == audience), None)
            subject = plan_subject(sent.item_id, sent.occurrence_key)
            found.append(AcknowledgementTask(subject, audience, at, item=items[sent.item_id], member=member))
    done = acknowledgements_of(session, {task.subject for task in found})
    unique = {(task.subject, task.audience): task for task in found if (task.subject, task.audience) not in done}
    return sorted(unique.values(), key=lambda task: task.sent_at)


def _arrived(sent: Sent) -> datetime | None:
    return sent.sent_at if sent.arrival == Arrival.SENT else None


def survey_tasks(session: Session, config: AssociationConfig, person: Person, now: datetime) -> list[SurveyTask]:
    """Open survey rounds asking the person that they have not answered; in an anonymous one, those whose
    municipality has fewer responses than people asked (whether this person answered cannot be known)."""
    tasks = []
    for round_ in rounds_asking(config, person, now):
        member = respondents(config, round_.survey)[person.id].member
        if not round_.survey.anonymous:
            if person.id not in survey_store.respondents(session, round_.survey.id, round_.opens):
                tasks.append(SurveyTask(round_, member, anonymous=False))
            continue
        given = survey_store.responses_per_member(session, round_.survey.id, round_.opens).get(member.id, 0)
        asked = len(contacts_per_member(config, round_.survey).get(member.id, []))
        if given < asked:
            tasks.append(SurveyTask(round_, member, anonymous=True, answered=given, asked=asked))
    return sorted(tasks, key=lambda task: task.round.closes_at)
