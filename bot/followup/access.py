"""Who is asked and reminded to answer for a department in a round: the person the head handed the round to (as
bot/permissions.py names a delegate), else the head."""

from bot.config.model import AssociationConfig, Department, Person
from bot.permissions import Grant, Scope, holders
from storage.followup import FollowupDelegation


def responder(
    config: AssociationConfig, round_id: str, department: Department, delegations: list[FollowupDelegation]
) -> Person:
    """The delegate when the head has handed over, else the head."""
    delegates = holders(config, Grant.DELEGATE, Scope(department, delegations, round_id))
    return config.person(delegates[0] if delegates else department.head)
