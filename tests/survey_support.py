"""Survey responses written straight into the tables, for the results tests and the benchmark."""

import uuid
from datetime import date

from sqlalchemy import Engine

from storage.engine import session_scope
from storage.surveys import SurveyAnswer, SurveyResponse

NKI = ("overall", "expectations", "ideal")
RATINGS = ("quality", "responsiveness", "availability")


def add_responses(
    engine: Engine, survey_id: str, opens: date, member_id: str, services: list[str], scores: list[int]
) -> None:
    """One response per score in `scores`: every NKI question and every rating of `services` given that score."""
    with session_scope(engine) as session:
        for score in scores:
            response = SurveyResponse(
                survey_id=survey_id, round_opens=opens, member_id=member_id, ballot=uuid.uuid4().hex
            )
            session.add(response)
            session.flush()
            answers = [("", question) for question in NKI]
            answers += [(service, question) for service in services for question in RATINGS]
            session.add_all(
                SurveyAnswer(response_id=response.id, service_id=service, question=question, score=score)
                for service, question in answers
            )
