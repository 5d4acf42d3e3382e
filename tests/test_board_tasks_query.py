"""Which decisions are open tasks: an owner and a due date, not withdrawn, not reported done; a 'delayed' report
moves the due date."""

from datetime import date

from bot.board.tasks import decision_tasks
from storage.board import BoardDecision, BoardTaskReport, TaskReportKind
from storage.engine import session_scope
from tests.conftest import local

AT = local(2027, 2, 19, 10, 0)


def _decision(position: int, *, owner: str | None = "it-chef", due: date | None = date(2027, 4, 1), **extra):
    return BoardDecision(
        meeting_id="direktion-2027-02", position=position, title=f"Beslut {position}", summary="", concerns_all=True,
        public=True, owner=owner, due=due, created_by="sekreterare", created_at=AT, updated_by="sekreterare",
        updated_at=AT, **extra,
    )  # fmt: skip


def _report(decision: BoardDecision, kind: TaskReportKind, minute: int, new_due: date | None = None):
    return BoardTaskReport(
        decision_id=decision.id, kind=kind, new_due=new_due, reported_by=decision.owner,
        reported_at=AT.replace(minute=minute),
    )  # fmt: skip


def test_open_tasks_by_due_date_with_their_reports(engine):
    with session_scope(engine) as session:
        done, delayed, open_, untimed, unowned, withdrawn = decisions = [
            _decision(1),
            _decision(2, owner="lon-chef"),
            _decision(3, due=date(2027, 3, 1)),
            _decision(4, due=None),
            _decision(5, owner=None),
            _decision(6, withdrawn_at=AT),
        ]
        session.add_all(decisions)
        session.flush()
        session.add_all(
            [
                _report(done, TaskReportKind.COMMENT, 1),
                _report(done, TaskReportKind.DONE, 2),
                _report(delayed, TaskReportKind.DELAYED, 1, new_due=date(2027, 5, 20)),
                _report(delayed, TaskReportKind.COMMENT, 2),
            ]
        )
    with session_scope(engine) as session:
        tasks = decision_tasks(session)
        assert [(task.decision.position, task.due) for task in tasks] == [(3, date(2027, 3, 1)), (2, date(2027, 5, 20))]
        assert [report.kind for report in tasks[1].reports] == [TaskReportKind.DELAYED, TaskReportKind.COMMENT]
        assert [task.decision.position for task in decision_tasks(session, owner="lon-chef")] == [2]
        every = decision_tasks(session, include_done=True)
        assert [(task.decision.position, task.done) for task in every] == [(3, False), (1, True), (2, False)]
