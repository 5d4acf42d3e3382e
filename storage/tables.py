"""Imports every table module so that SQLModel.metadata is complete (for Alembic and tests)."""

from storage.acknowledgements import Acknowledgement
from storage.board import BoardDecision, BoardDecisionRevision, BoardDigestRelease, BoardTaskReport
from storage.cases import CaseEvent, CasePurge, CaseSequence, FeedbackCase
from storage.followup import FollowupAnswer, FollowupDelegation, FollowupRevision
from storage.home import HomeView
from storage.outbox import Delivery, QueuedOccurrence
from storage.requests import ProcessedRequest
from storage.state import ProcessedEvent, SchedulerState, SlackUser
from storage.surveys import SurveyAnswer, SurveyResponse
from storage.teams import TeamsConversation, TeamsMember

__all__ = [
    "Acknowledgement",
    "BoardDecision",
    "BoardDecisionRevision",
    "BoardDigestRelease",
    "BoardTaskReport",
    "CaseEvent",
    "CasePurge",
    "CaseSequence",
    "Delivery",
    "FeedbackCase",
    "FollowupAnswer",
    "FollowupDelegation",
    "FollowupRevision",
    "HomeView",
    "ProcessedEvent",
    "ProcessedRequest",
    "QueuedOccurrence",
    "SchedulerState",
    "SlackUser",
    "SurveyAnswer",
    "SurveyResponse",
    "TeamsConversation",
    "TeamsMember",
]
