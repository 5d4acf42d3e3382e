"""The names of what can be acknowledged (the subject) and by whom (the audience), as stored in the
acknowledgement table and carried by the acknowledge button. Built here only, so nothing parses them elsewhere."""

import json
from dataclasses import dataclass

BOARD_DIGEST = "board"
PLAN = "plan"
MEMBER = "member"
PERSON = "person"
CHANNEL = "channel"


def board_digest_subject(meeting_id: str) -> str:
    """One meeting's digests."""
    return f"{BOARD_DIGEST}:{meeting_id}"


def plan_subject(item_id: str, occurrence_key: str) -> str:
    """One occurrence of a plan item."""
    return f"{PLAN}:{item_id}:{occurrence_key}"


def member_audience(member_id: str) -> str:
    """A member municipality, acknowledged by its chief or contact."""
    return f"{MEMBER}:{member_id}"


def person_audience(person_id: str) -> str:
    """A person who got a DM."""
    return f"{PERSON}:{person_id}"


def channel_audience(channel: str) -> str:
    """A channel (a forum's, or one the plan names)."""
    return f"{CHANNEL}:{channel}"


@dataclass(frozen=True)
class Audience:
    """An audience read back: its kind (MEMBER, PERSON, CHANNEL) and id."""

    kind: str
    id: str


def parse_audience(audience: str) -> Audience | None:
    """The audience a stored or clicked value names; None for a value that is not one."""
    kind, _, ident = audience.partition(":")
    if kind not in (MEMBER, PERSON, CHANNEL) or not ident:
        return None
    return Audience(kind, ident)


@dataclass(frozen=True)
class Subject:
    """A subject read back: a meeting's digests (`meeting_id`), or a plan item's occurrence (`item_id`,
    `occurrence_key`)."""

    meeting_id: str | None = None
    item_id: str | None = None
    occurrence_key: str | None = None


def parse_subject(subject: str) -> Subject | None:
    """The subject a stored or clicked value names; None for a value that is not one."""
    kind, _, rest = subject.partition(":")
    if kind == BOARD_DIGEST and rest:
        return Subject(meeting_id=rest)
    item_id, _, occurrence_key = rest.partition(":")
    if kind == PLAN and item_id and occurrence_key:
        return Subject(item_id=item_id, occurrence_key=occurrence_key)
    return None


def read_button_value(value: object) -> tuple[str, str] | None:
    """The (subject, audience) an acknowledge button's value names (messages.actions.acknowledge_button writes it);
    None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    if not isinstance(data, dict) or not all(isinstance(data.get(name), str) for name in ("subject", "audience")):
        return None
    return data["subject"], data["audience"]
