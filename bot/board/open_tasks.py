"""Open decision tasks as the preparation reminders and `/direktion` show them: the owner by name, overdue marked,
the latest report."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from bot.board.tasks import decision_tasks
from bot.config.model import AssociationConfig
from storage.board import BoardTaskReport


@dataclass(frozen=True)
class TaskLine:
    title: str
    case_number: str | None
    owner: str  # the owner's name (their id when the file no longer has them)
    due: date
    overdue: bool
    latest: BoardTaskReport | None


def open_task_lines(session: Session, config: AssociationConfig, today: date) -> list[TaskLine]:
    """Every open decision task by due date; overdue when its due date is before `today`."""
    lines = []
    for task in decision_tasks(session):
        owner_id = task.decision.owner or ""
        owner = config.find_person(owner_id)
        lines.append(
            TaskLine(
                title=task.decision.title,
                case_number=task.decision.case_number,
                owner=owner.name if owner else owner_id,
                due=task.due,
                overdue=task.due < today,
                latest=task.reports[-1] if task.reports else None,
            )
        )
    return lines
