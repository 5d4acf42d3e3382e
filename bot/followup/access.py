"""Who may answer for, and see, which department in a round."""

from bot.config.model import AssociationConfig, Department, Person
from storage.followup import FollowupDelegation

OVERSEER_ROLES = ("quality_manager", "director")


def sees_everything(config: AssociationConfig, person: Person | None) -> bool:
    """The quality manager and the director see every department."""
    return person is not None and person.id in {config.roles.get(role) for role in OVERSEER_ROLES}


def delegate_of(delegations: list[FollowupDelegation], round_id: str, department_id: str) -> str | None:
    return next((d.person_id for d in delegations if d.round_id == round_id and d.department_id == department_id), None)


def may_answer(
    config: AssociationConfig,
    person: Person | None,
    round_id: str,
    department: Department,
    delegations: list[FollowupDelegation],
) -> bool:
    """The department's head, its configured deputy, or whoever the head handed this round to."""
    if person is None:
        return False
    return person.id in {department.head, department.deputy, delegate_of(delegations, round_id, department.id)}


def answerable_departments(
    config: AssociationConfig, person: Person | None, round_id: str, delegations: list[FollowupDelegation]
) -> list[Department]:
    return [d for d in config.departments if may_answer(config, person, round_id, d, delegations)]


def responder(
    config: AssociationConfig, round_id: str, department: Department, delegations: list[FollowupDelegation]
) -> Person:
    """Who is asked and reminded: the delegate when the head has handed over, else the head."""
    delegate = delegate_of(delegations, round_id, department.id)
    return config.person(delegate or department.head)
