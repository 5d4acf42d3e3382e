"""Who may do what: every action a person can be refused, and the roles and relations that grant it, as data.

Every feature asks `may` (a yes or no, e.g. to filter what a person sees) or `require` (raises NotAllowed(action),
which the chat edge turns into the Swedish refusal). A role is a named holder in the configuration (the director,
the quality manager, the board's secretary); a relation is what a person is to what the action is about: to a
department (its head, its deputy, the one a head handed a follow-up round to, a member of its case handling group),
to a board decision (its owner), or to the audience of a message to acknowledge (the member municipality's
acknowledger, the person it was sent to, an owner of the channel it was posted in).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from bot.config.model import AssociationConfig, Department, Member, Person
from bot.errors import NotAllowed
from storage.followup import FollowupDelegation


class Action(StrEnum):
    """Everything the permission model decides; the refusal texts are keyed by these (messages/templates)."""

    SEE_DELIVERY_STATUS = "see_delivery_status"
    ANSWER_FOLLOWUP = "answer_followup"
    SEE_FOLLOWUP_STATUS = "see_followup_status"
    SEE_FOLLOWUP_HISTORY = "see_followup_history"
    DELEGATE_FOLLOWUP = "delegate_followup"
    REQUEST_FOLLOWUP_REPORT = "request_followup_report"
    TAKE_CASE = "take_case"
    ASSIGN_CASE = "assign_case"
    ANSWER_CASE = "answer_case"
    CLOSE_CASE = "close_case"
    REOPEN_CASE = "reopen_case"
    MARK_CASE_CONFIDENTIAL = "mark_case_confidential"
    SEE_CONFIDENTIAL_CASE = "see_confidential_case"
    SEE_SURVEY_RESULTS = "see_survey_results"
    RECORD_BOARD_DECISIONS = "record_board_decisions"
    RELEASE_BOARD_DIGESTS = "release_board_digests"
    REPORT_ON_DECISION_TASK = "report_on_decision_task"
    SEE_ALL_DECISION_TASKS = "see_all_decision_tasks"
    EXPORT_BOARD_DECISIONS = "export_board_decisions"
    SEE_BOARD_ACKNOWLEDGEMENTS = "see_board_acknowledgements"
    ACKNOWLEDGE = "acknowledge"


class Grant(StrEnum):
    """A role (held by one configured person) or a relation to a department that grants an action."""

    CASE_HANDLER = "case_handler"  # in the department's case handling group (cases.routing[].handlers)
    DEPARTMENT_HEAD = "department_head"
    DEPUTY = "deputy"
    DELEGATE = "delegate"  # a head handed the department's follow-up round to this person
    QUALITY_MANAGER = "quality_manager"
    DIRECTOR = "director"
    BOARD_SECRETARY = "board_secretary"  # the holder of the role board.secretary_role names
    DECISION_OWNER = "decision_owner"  # the follow-up owner a board decision names
    MEMBER_ACKNOWLEDGER = "member_acknowledger"  # the member municipality's contact, else its chief
    ADDRESSEE = "addressee"  # the person a direct message was sent to
    # A forum's members, a department's head and deputy, a member municipality's acknowledger, for their channel;
    # anyone configured for a channel the configuration gives no owner (the bot cannot see who is in a channel).
    CHANNEL_OWNER = "channel_owner"


ROLES = (Grant.QUALITY_MANAGER, Grant.DIRECTOR)  # grants held by a role, whatever the department
FOLLOWUP_ANSWERERS = (Grant.DEPARTMENT_HEAD, Grant.DEPUTY, Grant.DELEGATE)
FOLLOWUP_READERS = (*FOLLOWUP_ANSWERERS, *ROLES)
CASE_HANDLERS = (Grant.CASE_HANDLER, Grant.DEPARTMENT_HEAD, *ROLES)  # in the order the assign form lists them

GRANTS: dict[Action, tuple[Grant, ...]] = {
    Action.SEE_DELIVERY_STATUS: (Grant.DIRECTOR, Grant.QUALITY_MANAGER),
    Action.ANSWER_FOLLOWUP: FOLLOWUP_ANSWERERS,
    Action.SEE_FOLLOWUP_STATUS: FOLLOWUP_READERS,
    Action.SEE_FOLLOWUP_HISTORY: FOLLOWUP_READERS,
    Action.DELEGATE_FOLLOWUP: (Grant.DEPARTMENT_HEAD,),
    Action.REQUEST_FOLLOWUP_REPORT: (Grant.QUALITY_MANAGER,),
    Action.TAKE_CASE: CASE_HANDLERS,
    Action.ASSIGN_CASE: CASE_HANDLERS,
    Action.ANSWER_CASE: CASE_HANDLERS,
    Action.CLOSE_CASE: CASE_HANDLERS,
    Action.REOPEN_CASE: CASE_HANDLERS,
    Action.MARK_CASE_CONFIDENTIAL: CASE_HANDLERS,
    Action.SEE_CONFIDENTIAL_CASE: CASE_HANDLERS,
    Action.SEE_SURVEY_RESULTS: ROLES,
    # The director stands in for the secretary (the director answers for the board's administration).
    Action.RECORD_BOARD_DECISIONS: (Grant.BOARD_SECRETARY, Grant.DIRECTOR),
    Action.RELEASE_BOARD_DIGESTS: (Grant.BOARD_SECRETARY, Grant.DIRECTOR),
    Action.REPORT_ON_DECISION_TASK: (Grant.DECISION_OWNER, Grant.DIRECTOR),
    Action.SEE_ALL_DECISION_TASKS: (Grant.DIRECTOR,),
    Action.EXPORT_BOARD_DECISIONS: (Grant.DIRECTOR, Grant.BOARD_SECRETARY),  # the board's records
    Action.SEE_BOARD_ACKNOWLEDGEMENTS: (Grant.DIRECTOR, Grant.QUALITY_MANAGER, Grant.BOARD_SECRETARY),
    # Only those an audience names acknowledge for it: not even the director acknowledges for a municipality.
    Action.ACKNOWLEDGE: (Grant.MEMBER_ACKNOWLEDGER, Grant.ADDRESSEE, Grant.CHANNEL_OWNER),
}


@dataclass(frozen=True)
class Scope:
    """What an action is about: a department (for follow-up with the hand-overs that count: one round's, or all), a
    board decision's owner, or the audience of a message to acknowledge (a member municipality, a person, a
    channel)."""

    department: Department | None = None
    delegations: Sequence[FollowupDelegation] = ()
    round_id: str | None = None
    decision_owner: str | None = None
    member: Member | None = None
    addressee: str | None = None
    channel: str | None = None


def holders(config: AssociationConfig, grant: Grant, scope: Scope) -> list[str]:
    """The ids of the people a grant names in this scope (a relation needs a department)."""
    if grant is Grant.QUALITY_MANAGER or grant is Grant.DIRECTOR:
        holder = config.roles.get(grant.value)
        return [holder] if holder else []
    if grant is Grant.BOARD_SECRETARY:
        secretary = config.roles.get(config.board.secretary_role) if config.board else None
        return [secretary] if secretary else []
    if grant is Grant.DECISION_OWNER:
        return [scope.decision_owner] if scope.decision_owner else []
    if grant is Grant.MEMBER_ACKNOWLEDGER:
        return [scope.member.acknowledger] if scope.member else []
    if grant is Grant.ADDRESSEE:
        return [scope.addressee] if scope.addressee else []
    if grant is Grant.CHANNEL_OWNER:
        return channel_owners(config, scope.channel) if scope.channel else []
    department = scope.department
    if department is None:
        return []
    if grant is Grant.DEPARTMENT_HEAD:
        return [department.head]
    if grant is Grant.DEPUTY:
        return [department.deputy] if department.deputy else []
    if grant is Grant.DELEGATE:
        return [
            d.person_id
            for d in scope.delegations
            if d.department_id == department.id and scope.round_id in (None, d.round_id)
        ]
    if grant is Grant.CASE_HANDLER:
        route = config.cases.routing_for(department.id) if config.cases else None
        return list(route.handlers) if route is not None else []
    assert_never(grant)


def channel_owners(config: AssociationConfig, channel: str) -> list[str]:
    """Who answers for a channel: its named owners; everyone configured when it has none."""
    return named_channel_owners(config, channel) or [person.id for person in config.people]


def named_channel_owners(config: AssociationConfig, channel: str) -> list[str]:
    """The members of the forums, the heads and deputies of the departments and the acknowledgers of the member
    municipalities whose channel it is (none for a channel the configuration gives to nobody)."""
    owners = [person for forum in config.forums if forum.channel == channel for person in forum.members]
    for department in config.departments:
        if department.channel == channel:
            owners += [department.head, *([department.deputy] if department.deputy else [])]
    owners += [member.acknowledger for member in config.members if member.channel == channel]
    return list(dict.fromkeys(owners))


def allowed(config: AssociationConfig, action: Action, scope: Scope = Scope()) -> list[str]:
    """The ids of everyone who may do `action` in `scope`, once each, in the order of the action's grants."""
    return list(dict.fromkeys(pid for grant in GRANTS[action] for pid in holders(config, grant, scope)))


def may(config: AssociationConfig, person: Person | None, action: Action, scope: Scope = Scope()) -> bool:
    """Whether `person` may do `action` in `scope`. The chat edge refuses unknown users before any service runs;
    None is still answered (no), so that a caller that slips one through is refused rather than crashing."""
    return person is not None and person.id in allowed(config, action, scope)


def require(config: AssociationConfig, person: Person | None, action: Action, scope: Scope = Scope()) -> Person:
    """The person, if they may do `action` in `scope`; NotAllowed(action) otherwise."""
    if person is None or not may(config, person, action, scope):
        raise NotAllowed(action, scope.department.name if scope.department else None)
    return person
