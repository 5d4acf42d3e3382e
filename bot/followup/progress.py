"""How far each department has come in a round: the one definition of 'complete' (every indicator answered)."""

from collections.abc import Collection
from dataclasses import dataclass

from bot.config.model import AssociationConfig, Department
from bot.followup.rounds import indicators_for


@dataclass(frozen=True)
class Progress:
    department: Department
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered >= self.total

    @property
    def partial(self) -> bool:
        return 0 < self.answered < self.total


def round_progress(
    config: AssociationConfig, round_id: str, answered: Collection[tuple[str, str, str]]
) -> list[Progress]:
    """Every reporting department's progress, in configuration order; `answered` holds (round, dept, indicator)."""
    progress = []
    for department in config.departments:
        indicator_ids = [indicator.id for _, indicator in indicators_for(config, department.id)]
        if indicator_ids:
            count = sum(1 for i in indicator_ids if (round_id, department.id, i) in answered)
            progress.append(Progress(department, count, len(indicator_ids)))
    return progress
