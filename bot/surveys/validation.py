"""Checking a page of survey answers: every rating present and a whole number 1-10, free texts within their limit;
answers to questions the respondent is not asked are refused."""

from enum import StrEnum

from bot.surveys.audience import Respondent
from bot.surveys.questions import NKI_QUESTIONS, SCORES, SERVICE_RATINGS, WHOLE, Question
from messages.text_limits import SURVEY_TEXT

AnswerKey = tuple[str, str]  # (service id, or WHOLE for the NKI questions; a Question's code)
Answer = int | str | None  # a rating, a free text, or None for a free text left empty
SCORE_TEXTS = {str(score) for score in SCORES}


class ErrorCode(StrEnum):
    MISSING = "missing"
    NOT_A_SCORE = "not_a_score"
    TOO_LONG = "too_long"
    NOT_ASKED = "not_asked"


class InvalidSurveyAnswers(Exception):
    """Errors per answer key, each an error code that messages/ turns into Swedish."""

    def __init__(self, errors: dict[AnswerKey, str]):
        super().__init__(f"{len(errors)} invalid field(s)")
        self.errors = errors


def asked(respondent: Respondent) -> list[AnswerKey]:
    """Every question the respondent is asked, in the form's order."""
    keys: list[AnswerKey] = [(WHOLE, question) for question in NKI_QUESTIONS]
    for service in respondent.services:
        keys += [(service.id, question) for question in (*SERVICE_RATINGS, Question.IMPROVE)]
    return keys


def required(key: AnswerKey) -> bool:
    return key[1] != Question.IMPROVE


def clean(respondent: Respondent, typed: dict[AnswerKey, str | None]) -> dict[AnswerKey, Answer]:
    """The page's answers as stored; InvalidSurveyAnswers naming each field that is wrong."""
    known = set(asked(respondent))
    errors: dict[AnswerKey, str] = {}
    answers: dict[AnswerKey, Answer] = {}
    for key, raw in typed.items():
        text = (raw or "").strip()
        if key not in known:
            errors[key] = ErrorCode.NOT_ASKED
        elif not required(key):
            if len(text) > SURVEY_TEXT:
                errors[key] = ErrorCode.TOO_LONG
            answers[key] = text or None
        elif not text:
            errors[key] = ErrorCode.MISSING
        elif text not in SCORE_TEXTS:
            errors[key] = ErrorCode.NOT_A_SCORE
        else:
            answers[key] = int(text)
    if errors:
        raise InvalidSurveyAnswers(errors)
    return answers
