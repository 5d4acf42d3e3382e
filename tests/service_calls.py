"""The keyword arguments every service call in a test starts with: whose request, in which transaction."""

from sqlmodel import Session

from bot.config.model import AssociationConfig, Person


def by(session: Session, config: AssociationConfig, person: Person | None) -> dict[str, object]:
    """session=, config= and person= for a service call (person None: an unknown user, to be refused)."""
    return {"session": session, "config": config, "person": person}
