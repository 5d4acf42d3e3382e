"""Who is asked to answer for a department in a round (who may answer is bot/permissions.py's to say)."""

from bot.config.model import AssociationConfig, Department, Person
from bot.permissions import Action, Scope, may
from storage.followup import FollowupDelegation


def delegate_of(delegations: list[FollowupDelegation], round_id: str, department_id: str) -> str | None:
    return next((d.person_id for d in delegations if d.round_id == round_id and d.department_id == department_id), None)


def answerable_departments(
    config: AssociationConfig, person: Person, round_id: str, delegations: list[FollowupDelegation]
) -> list[Department]:
    """The departments whose answers the person may give in the round."""
    return [
        department
        for department in config.departments
        if may(config, person, Action.ANSWER_FOLLOWUP, Scope(department, delegations, round_id))
    ]


def responder(
    config: AssociationConfig, round_id: str, department: Department, delegations: list[FollowupDelegation]
) -> Person:
    """Who is asked and reminded: the delegate when the head has handed over, else the head."""
    delegate = delegate_of(delegations, round_id, department.id)
    return config.person(delegate or department.head)
