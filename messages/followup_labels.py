"""Swedish labels for follow-up codes (statuses, units, validation errors, export headings; from labels.toml),
and the Swedish way of writing their numbers."""

from decimal import Decimal

from messages.labels import label_list, labels
from messages.render import render
from messages.text_limits import FOLLOWUP_TEXT

_EXPORT = labels("followup.export")

STATUS_LABELS = labels("followup.statuses")
STATUS_ICONS = {"met": "🟢", "partly_met": "🟡", "not_met": "🔴", "at_risk": "🟠"}
UNIT_LABELS = labels("followup.units")
ERROR_TEXT = {**labels("followup.errors"), "too_long": render("followup_too_long", limit=FOLLOWUP_TEXT)}
EXPORT_HEADINGS = label_list("followup.export_headings.answers")
REVISION_HEADINGS = label_list("followup.export_headings.revisions")
CHANGE_HEADING = _EXPORT["change_heading"]  # the export's column of changes since the previous round: '+' on a rise
ANSWERS_SHEET = _EXPORT["answers_sheet"]
REVISIONS_SHEET = _EXPORT["revisions_sheet"]
ON_TARGET_LABELS = {True: _EXPORT["on_target"], False: _EXPORT["off_target"], None: ""}
FIELD_LABELS = labels("followup.fields")
_FORM = labels("followup.form")
VALUE_LABELS = labels("followup.value_labels")
FORM_TITLE = _FORM["title"]
CHOOSER_LABEL = _FORM["chooser_label"]
CHOOSER_LEFT_OUT = _FORM["chooser_left_out"]
ACTIONS_HINT = _FORM["actions_hint"]
CHOOSER_SUBMIT = _FORM["chooser_submit"]
SUBMIT = _FORM["submit"]
NEXT_SUBMIT = _FORM["next_submit"]
OPEN_FORM_BUTTON = labels("followup.buttons")["open_form"]


def format_number(value: float | None) -> str:
    """Swedish decimal comma, no trailing zeros: 72.50 -> '72,5'."""
    if value is None:
        return "–"
    return f"{value:,.2f}".rstrip("0").rstrip(".").replace(",", " ").replace(".", ",")


def format_change(value: float | None) -> str:
    if value is None:
        return ""
    return ("+" if value > 0 else "") + format_number(value) if value else "±0"


def input_number(value: float) -> str:
    """Every digit of a stored value, with a decimal comma, so that saving the form again keeps it as it is."""
    text = format(Decimal(repr(value)), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def describe_change(field: str, before: object, after: object) -> str:
    """'Status: Uppfyllt → Ej uppfyllt' for one changed field of an answer."""

    def shown(value: object) -> str:
        if value is None or value == "":
            return "–"
        if field == "status":
            return STATUS_LABELS.get(str(value), str(value))
        if isinstance(value, int | float):
            return format_number(float(value))
        return str(value)

    return f"{FIELD_LABELS.get(field, field)}: {shown(before)} → {shown(after)}"
