"""Who a Teams mention names: the configured person behind a mention entity of a message (a delegation's target)."""

from sqlmodel import Session, select

from bot.config.model import AssociationConfig, Person
from bot.teams.directory import person_for_member
from storage.teams import TeamsMember, member_by_object_id

USER_ID_PREFIX = "29:"  # a Teams user's id in a conversation; bots are '28:'


def mentioned_person(session: Session, config: AssociationConfig, mentioned: dict) -> Person | None:
    """The configured person a mention's `mentioned` account is: by its Entra object id (given, or the roster's
    for its Teams user id), else by the e-mail the roster has for them; None for anyone else."""
    object_id = mentioned.get("aadObjectId")
    if isinstance(object_id, str) and object_id:
        member = member_by_object_id(session, object_id)
        return person_for_member(config, object_id, member.email if member else None)
    user_id = mentioned.get("id")
    if not isinstance(user_id, str) or not user_id.startswith(USER_ID_PREFIX):
        return None
    member = session.exec(select(TeamsMember).where(TeamsMember.user_id == user_id)).first()
    return person_for_member(config, member.object_id, member.email) if member else None
