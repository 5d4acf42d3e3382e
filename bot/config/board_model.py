"""The `board:` section: the board's (direktion's) meeting cycle: who prepares, who records the decisions, where
the digests go, and the working days that time each reminder. The meetings themselves are the `events` of
`meeting_kind`; the chair municipality comes from `chair_rotation`."""

from pydantic import Field

from bot.config.channels import Channel
from bot.config.section import Id, Section


class BoardPreparation(Section):
    """Working days before each meeting when its preparation reminders go out (0 leaves one out)."""

    # Matters (ärenden) are due to the director this many working days before the meeting.
    matters_due_working_days: int = Field(default=15, ge=0, le=60)
    # The chair municipality's chief and the director are reminded to prepare.
    chair_working_days: int = Field(default=12, ge=0, le=60)
    # The presidium's preparation (presidieberedning).
    presidium_working_days: int = Field(default=10, ge=0, le=60)
    # The agenda (kallelse) is posted to the board's channel.
    agenda_working_days: int = Field(default=5, ge=0, le=60)


class BoardFollowUp(Section):
    """After a meeting: when the secretary is asked for the decisions, and how acknowledgements and decision tasks
    are chased."""

    # Calendar days after the meeting when the secretary is asked to record the decisions (a weekend or holiday
    # moves it to the next working day).
    protocol_after_days: int = Field(default=1, ge=0, le=30)
    # A member municipality's chief (or contact) who has not acknowledged its digest this many working days after
    # it was sent is reminded once; after `escalate_working_days` the director is told.
    remind_working_days: int = Field(default=3, ge=1, le=30)
    escalate_working_days: int = Field(default=5, ge=1, le=60)
    # A decision task's owner is reminded this many working days before its due date.
    task_reminder_working_days: int = Field(default=5, ge=0, le=60)


class BoardConfig(Section):
    """The board's cycle; every forum and role named here must exist."""

    forum: Id  # the board itself (kind 'board'); its channel gets the agenda
    meeting_kind: Id = "board_meeting"  # the events that are the board's meetings
    presidium: Id | None = None  # the forum that prepares the board's matters
    leadership_group: Id | None = None  # the forum that gets every decision with owners and due dates
    secretary_role: Id = "board_secretary"  # the role (in `roles`) of the board's secretary
    staff_channel: Channel | None = None  # the staff's channel: internal and public decisions
    public_channel: Channel | None = None  # the public summary of the public decisions
    budget_dialogue_kind: Id | None = "budget_dialogue"  # events shown with the meetings in /direktion
    preparation: BoardPreparation = BoardPreparation()
    follow_up: BoardFollowUp = BoardFollowUp()
