"""What a BAS survey asks: the three NKI questions about the association as a whole, and per service three ratings
and a free text. Every rating is on a 1-10 scale."""

from enum import StrEnum

LOWEST, HIGHEST = 1, 10
SCORES = tuple(range(LOWEST, HIGHEST + 1))
WHOLE = ""  # the service id of the NKI questions' answers: the association as a whole


class Question(StrEnum):
    """A question's code, stored with each answer; the Swedish wording is in labels.toml ([survey.questions])."""

    OVERALL = "overall"  # NKI: satisfaction overall
    EXPECTATIONS = "expectations"  # NKI: expectations met
    IDEAL = "ideal"  # NKI: close to the ideal
    QUALITY = "quality"
    RESPONSIVENESS = "responsiveness"
    AVAILABILITY = "availability"
    IMPROVE = "improve"  # free text: what should we improve


NKI_QUESTIONS = (Question.OVERALL, Question.EXPECTATIONS, Question.IDEAL)
SERVICE_RATINGS = (Question.QUALITY, Question.RESPONSIVENESS, Question.AVAILABILITY)


def index_of(total: int, scores: int) -> float:
    """The unweighted NKI-style index 0-100 of `scores` ratings summing to `total`: each rating x mapped to
    (x - 1) * 100 / 9, averaged."""
    return (total - LOWEST * scores) * 100 / ((HIGHEST - LOWEST) * scores)
