"""Imports every table module so that SQLModel.metadata is complete (for Alembic and tests)."""

from storage.cases import CaseEvent, CasePurge, CaseSequence, FeedbackCase
from storage.followup import FollowupAnswer, FollowupDelegation, FollowupRevision, FollowupSubmission
from storage.outbox import Delivery, QueuedOccurrence
from storage.state import ProcessedEvent, SchedulerState, SlackUser

__all__ = [
    "CaseEvent",
    "CasePurge",
    "CaseSequence",
    "Delivery",
    "FeedbackCase",
    "FollowupAnswer",
    "FollowupDelegation",
    "FollowupRevision",
    "FollowupSubmission",
    "ProcessedEvent",
    "QueuedOccurrence",
    "SchedulerState",
    "SlackUser",
]
