"""Fixed Swedish texts of the BAS surveys (labels.toml, [survey.*]), and how their indexes are written."""

from messages.labels import label_list, labels
from messages.render import render
from messages.text_limits import SURVEY_TEXT

QUESTIONS = labels("survey.questions")
SCALE = labels("survey.scale")
_FORM = labels("survey.form")
FORM_TITLE = _FORM["title"]
SUBMIT = _FORM["submit"]
NEXT_SUBMIT = _FORM["next_submit"]
OPEN_BUTTON = _FORM["open_button"]
ERROR_TEXT = {**labels("survey.errors"), "too_long": render("survey_too_long", limit=SURVEY_TEXT)}
EXPORT = labels("survey.export")
CHART = labels("survey.chart")
RESULT_HEADINGS = label_list("survey.export_headings.results")
IMPROVEMENT_HEADINGS = label_list("survey.export_headings.improvements")


def format_index(value: float | None) -> str:
    """An index as shown: a whole number ('72'); '–' when it is not shown."""
    return "–" if value is None else f"{value:.0f}"


def format_change(value: float | None) -> str:
    """A change in index points: '+3', '−2', '±0'; '' when there is none to show."""
    if value is None:
        return ""
    rounded = round(value)
    if rounded == 0:
        return "±0"
    return f"+{rounded}" if rounded > 0 else f"\u2212{-rounded}"
