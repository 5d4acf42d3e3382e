"""Who may handle a department's cases: its handling group, its head, the quality manager and the director."""

from bot.config.model import AssociationConfig, Person
from bot.errors import NotAllowed

OVERSEEING_ROLES = ("quality_manager", "director")


def department_routed(config: AssociationConfig, department_id: str) -> bool:
    """Whether the configuration still has the department and a triage channel for it (a renamed or removed
    department leaves its old cases unrouted until the configuration routes them again)."""
    departments = {department.id for department in config.departments}
    return config.cases is not None and department_id in departments and bool(config.cases.routing_for(department_id))


def case_handlers(config: AssociationConfig, department_id: str) -> list[Person]:
    """Everyone who may take, assign, answer and close the department's cases, once each."""
    ids: list[str] = []
    route = config.cases.routing_for(department_id) if config.cases else None
    if route is not None:
        ids.extend(route.handlers)
    ids.append(config.department(department_id).head)
    ids.extend(config.roles[role] for role in OVERSEEING_ROLES if role in config.roles)
    return [config.person(person_id) for person_id in dict.fromkeys(ids)]


def may_handle(config: AssociationConfig, person: Person | None, department_id: str) -> bool:
    return person is not None and person in case_handlers(config, department_id)


def require_handler(config: AssociationConfig, person: Person | None, department_id: str, what: str) -> Person:
    """The person, if they may handle the department's cases; NotAllowed(what) otherwise."""
    if person is None or not may_handle(config, person, department_id):
        raise NotAllowed(what)
    return person
