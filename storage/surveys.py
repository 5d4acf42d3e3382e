"""BAS survey tables: one response per person and round (or, in an anonymous survey, per form filled in) and its
answers, and the queries the survey slice needs.

An anonymous response keeps its member and its answers only: no person, no time (bot/surveys/answers.py). Its
`ballot`, a random token the form carries from page to page, is what ties the pages of one filled-in form together;
it is made when the form is opened and says nothing about who opened it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Column, Date, ForeignKey, Index, Integer, Text, UniqueConstraint, distinct, func, select
from sqlmodel import Field, Session, SQLModel

from storage.types import UTCDateTime

BALLOT_LENGTH = 32  # uuid4().hex


class SurveyResponse(SQLModel, table=True):
    """One filled-in survey form of one round: for a member; by a person unless the survey is anonymous."""

    __tablename__ = "survey_response"
    __table_args__ = (
        UniqueConstraint("survey_id", "round_opens", "person_id", name="uq_survey_response_person"),
        Index("ix_survey_response_round_member", "survey_id", "round_opens", "member_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    survey_id: str = Field(max_length=60)
    round_opens: date = Field(sa_column=Column(Date, nullable=False))  # the round's configured opening day
    member_id: str = Field(max_length=60)
    person_id: str | None = Field(default=None, max_length=60)  # None in an anonymous survey
    ballot: str = Field(max_length=BALLOT_LENGTH, unique=True)
    revision: int = 1  # 1, and one more for each later page that changed an answer (not in an anonymous survey)
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime(), nullable=True))


class SurveyAnswer(SQLModel, table=True):
    """One answer of a response: a score 1-10 or a free text, to a question about a service ('' for the three NKI
    questions, which are about the association as a whole)."""

    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("response_id", "service_id", "question", name="uq_survey_answer"),)

    id: int | None = Field(default=None, primary_key=True)
    response_id: int = Field(sa_column=Column(Integer, ForeignKey("survey_response.id"), nullable=False, index=True))
    service_id: str = Field(max_length=60)
    question: str = Field(max_length=30)
    score: int | None = None
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))


@dataclass(frozen=True)
class ScoreSums:
    """The scores of one round, member and service ('' for NKI): their sum, how many, and from how many responses."""

    round_opens: date
    member_id: str
    service_id: str
    total: int
    scores: int
    responses: int


def score_sums(session: Session, survey_id: str, rounds: Iterable[date]) -> list[ScoreSums]:
    """Every round's scores summed per member and service, in one statement whatever the members and services."""
    statement = (
        select(
            SurveyResponse.round_opens,
            SurveyResponse.member_id,
            SurveyAnswer.service_id,
            func.sum(SurveyAnswer.score),
            func.count(SurveyAnswer.score),
            func.count(distinct(SurveyResponse.id)),
        )
        .join(SurveyAnswer, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.survey_id == survey_id,
            SurveyResponse.round_opens.in_(list(rounds)),
            SurveyAnswer.score.is_not(None),
        )
        .group_by(SurveyResponse.round_opens, SurveyResponse.member_id, SurveyAnswer.service_id)
    )
    return [ScoreSums(*row) for row in session.execute(statement)]


def improvement_texts(session: Session, survey_id: str, round_opens: date, question: str) -> list[tuple[str, str]]:
    """(service id, text) of every free-text answer to `question` in the round, in the order given."""
    statement = (
        select(SurveyAnswer.service_id, SurveyAnswer.text)
        .join(SurveyResponse, SurveyAnswer.response_id == SurveyResponse.id)
        .where(
            SurveyResponse.survey_id == survey_id,
            SurveyResponse.round_opens == round_opens,
            SurveyAnswer.question == question,
            SurveyAnswer.text.is_not(None),
        )
        .order_by(SurveyAnswer.id)
    )
    return [(service_id, text) for service_id, text in session.execute(statement)]


def responses_per_member(session: Session, survey_id: str, round_opens: date) -> dict[str, int]:
    """How many responses each member has in the round."""
    statement = (
        select(SurveyResponse.member_id, func.count())
        .where(SurveyResponse.survey_id == survey_id, SurveyResponse.round_opens == round_opens)
        .group_by(SurveyResponse.member_id)
    )
    return {member_id: count for member_id, count in session.execute(statement)}


def respondents(session: Session, survey_id: str, round_opens: date) -> set[str]:
    """The people who answered the round (none in an anonymous survey)."""
    statement = select(SurveyResponse.person_id).where(
        SurveyResponse.survey_id == survey_id,
        SurveyResponse.round_opens == round_opens,
        SurveyResponse.person_id.is_not(None),
    )
    return {person_id for person_id in session.scalars(statement) if person_id}


def response_of(session: Session, survey_id: str, round_opens: date, person_id: str) -> SurveyResponse | None:
    statement = select(SurveyResponse).where(
        SurveyResponse.survey_id == survey_id,
        SurveyResponse.round_opens == round_opens,
        SurveyResponse.person_id == person_id,
    )
    return session.scalars(statement).first()


def response_by_ballot(session: Session, ballot: str) -> SurveyResponse | None:
    return session.scalars(select(SurveyResponse).where(SurveyResponse.ballot == ballot)).first()


def answers_of(session: Session, response_id: int) -> list[SurveyAnswer]:
    statement = select(SurveyAnswer).where(SurveyAnswer.response_id == response_id).order_by(SurveyAnswer.id)
    return list(session.scalars(statement))
