"""Where a department's cases go, and who handles them (the grants are bot/permissions.py's)."""

from bot.config.model import AssociationConfig, Person
from bot.permissions import Action, Scope, allowed


def department_routed(config: AssociationConfig, department_id: str) -> bool:
    """Whether the configuration still has the department and a triage channel for it (a renamed or removed
    department leaves its old cases unrouted until the configuration routes them again)."""
    routed = config.cases is not None and bool(config.cases.routing_for(department_id))
    return routed and config.find_department(department_id) is not None


def case_scope(config: AssociationConfig, department_id: str) -> Scope:
    """The permission scope of a department's cases."""
    return Scope(config.department(department_id))


def case_handlers(config: AssociationConfig, department_id: str) -> list[Person]:
    """Everyone who may take, assign, answer and close the department's cases, once each."""
    return [config.person(pid) for pid in allowed(config, Action.TAKE_CASE, case_scope(config, department_id))]
