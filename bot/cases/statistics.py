"""Case statistics for a year: counts per category, department and member, answer times and punctuality."""

import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.config.cases_model import CATEGORIES
from bot.config.model import AssociationConfig
from bot.local_time import local_date
from bot.workdays import working_days_between
from storage import cases as store
from storage.cases import CaseStatus, FeedbackCase


@dataclass(frozen=True)
class CaseStatistics:
    year: int
    total: int
    by_category: list[tuple[str, int]]  # (category key, count), every category
    by_month: list[tuple[str, tuple[int, ...]]]  # (category key, twelve counts by month registered), every category
    by_department: list[tuple[str, int]]  # (department name, count), every department; then unknown department ids
    by_member: list[tuple[str | None, int]]  # (member name, count); None for cases naming no member
    answered: int
    median_working_days: float | None  # registration to first answer
    share_within_deadline: float | None  # of the answered cases, against the deadline set at registration
    overdue: int  # open, unanswered and past the answer deadline (the reopen deadline after a reopen)


def _working_days_to_answer(config: AssociationConfig, case: FeedbackCase) -> int:
    return working_days_between(local_date(config, case.registered_at), local_date(config, case.answered_at))


def _by_department(config: AssociationConfig, cases: list[FeedbackCase]) -> list[tuple[str, int]]:
    """Counts per configured department, then per department id no longer configured (renamed or removed)."""
    known = [(d.name, sum(1 for c in cases if c.department_id == d.id)) for d in config.departments]
    configured = {department.id for department in config.departments}
    gone = sorted({case.department_id for case in cases} - configured)
    return known + [
        (department_id, sum(1 for c in cases if c.department_id == department_id)) for department_id in gone
    ]


def _by_month(config: AssociationConfig, cases: list[FeedbackCase]) -> list[tuple[str, tuple[int, ...]]]:
    """Per category, the cases registered in each month (by the local date of registration)."""
    counts = Counter((case.category, local_date(config, case.registered_at).month) for case in cases)
    return [(category, tuple(counts[category, month] for month in range(1, 13))) for category in CATEGORIES]


def case_statistics(*, session: Session, config: AssociationConfig, year: int, now: datetime) -> CaseStatistics:
    """Statistics of the cases registered in `year`, as they stand at `now`."""
    cases = store.cases_in_year(session, year)
    today = local_date(config, now)
    answered = [case for case in cases if case.answered_at is not None]
    on_time = [case for case in answered if local_date(config, case.answered_at) <= case.answer_due]
    member_counts = [(member.name, sum(1 for c in cases if c.member_id == member.id)) for member in config.members]
    unnamed = sum(1 for case in cases if case.member_id is None)
    return CaseStatistics(
        year=year,
        total=len(cases),
        by_category=[(category, sum(1 for c in cases if c.category == category)) for category in CATEGORIES],
        by_month=_by_month(config, cases),
        by_department=_by_department(config, cases),
        by_member=member_counts + ([(None, unnamed)] if unnamed else []),
        answered=len(answered),
        median_working_days=(
            float(statistics.median(_working_days_to_answer(config, case) for case in answered)) if answered else None
        ),
        share_within_deadline=len(on_time) / len(answered) if answered else None,
        overdue=sum(
            1
            for case in cases
            if case.answered_at is None and case.status != CaseStatus.CLOSED and case.current_answer_due < today
        ),
    )
