"""Board decisions and digest releases written straight into the database, as the secretary's form will write
them, for the tests of decision tasks and the board's export."""

import json
from datetime import date, datetime

from sqlalchemy import Engine, select

from storage.board import BoardDecision, BoardDigestRelease, BoardTaskReport, TaskReportKind
from storage.engine import session_scope
from tests.conftest import local

RECORDED = local(2027, 2, 19, 10, 0)  # the day after the February meeting
FEBRUARY, APRIL = "direktion-2027-02", "direktion-2027-04"


def add_decision(
    engine: Engine,
    meeting_id: str,
    position: int,
    title: str,
    *,
    owner: str | None = None,
    due: date | None = None,
    members: tuple[str, ...] | None = None,
    public: bool = True,
    case_number: str | None = None,
    summary: str = "",
) -> int:
    """A decision of the meeting (concerning everyone unless `members` are named); its id."""
    with session_scope(engine) as session:
        decision = BoardDecision(
            meeting_id=meeting_id, position=position, title=title, summary=summary, concerns_all=members is None,
            member_ids=json.dumps(list(members or ())), public=public, owner=owner, due=due, case_number=case_number,
            created_by="sekreterare", created_at=RECORDED, updated_by="sekreterare", updated_at=RECORDED,
        )  # fmt: skip
        session.add(decision)
        session.flush()
        assert decision.id is not None
        return decision.id


def release(engine: Engine, meeting_id: str, at: datetime = RECORDED) -> None:
    """The meeting's digests sent: its decisions are final."""
    with session_scope(engine) as session:
        session.add(BoardDigestRelease(meeting_id=meeting_id, released_by="sekreterare", released_at=at))


def reports(engine: Engine, decision_id: int) -> list[tuple[str, date | None, str | None, str]]:
    """(kind, new due date, comment, by whom) of every report on the decision, oldest first."""
    with session_scope(engine) as session:
        found = select(BoardTaskReport).where(BoardTaskReport.decision_id == decision_id).order_by(BoardTaskReport.id)
        return [(r.kind, r.new_due, r.comment, r.reported_by) for r in session.scalars(found)]


def add_report(
    engine: Engine,
    decision_id: int,
    kind: TaskReportKind,
    by: str,
    at: datetime,
    new_due: date | None = None,
    comment: str | None = None,
) -> None:
    """A report on the decision's task, as the report form stores it."""
    with session_scope(engine) as session:
        report = BoardTaskReport(decision_id=decision_id, kind=kind, new_due=new_due, comment=comment, reported_by=by,
                                 reported_at=at)  # fmt: skip
        session.add(report)
