"""The longest text each free-text field takes, defined once: the forms' max_length and the services' checks
(bot/cases/registration.py, bot/cases/service.py, bot/followup/validation.py) both read these, so a forged request
cannot store more."""

CASE_DESCRIPTION = 3000
CASE_CONTACT = 200
CASE_ANSWER = 3000
CASE_RESOLUTION = 3000
CASE_SOURCE_LINK = 500  # a message permalink, carried in the form's private_metadata
FOLLOWUP_TEXT = 3000  # a text value, a comment or planned actions
SURVEY_TEXT = 2000  # what a survey's respondent would have us improve in a service


def swedish_count(limit: int) -> str:
    """3000 -> '3 000', as Swedish writes numbers in the error texts."""
    return f"{limit:,}".replace(",", "\u00a0")


BOARD_TITLE = 200  # a board decision's title (storage/board.py's column)
BOARD_SUMMARY = 3000
BOARD_CASE_NUMBER = 40
BOARD_TASK_COMMENT = 3000  # a comment on a report on a board decision's task
