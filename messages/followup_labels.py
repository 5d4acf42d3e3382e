"""Swedish labels for follow-up codes: statuses, units, validation errors and export headings."""

from decimal import Decimal

from messages.text_limits import FOLLOWUP_TEXT, swedish_count

STATUS_LABELS = {
    "met": "Uppfyllt",
    "partly_met": "Delvis uppfyllt",
    "not_met": "Ej uppfyllt",
    "at_risk": "Befaras ej uppnås",
}
STATUS_ICONS = {"met": "🟢", "partly_met": "🟡", "not_met": "🔴", "at_risk": "🟠"}
UNIT_LABELS = {"number": "antal", "percent": "procent", "index": "index 0–100", "text": "text"}
ERROR_TEXT = {
    "status_missing": "Välj en status.",
    "value_missing": "Fyll i ett värde.",
    "not_number": "Skriv ett tal utan enhet, till exempel 12 eller 3,5.",
    "not_percent": "Skriv en procentsats mellan 0 och 100, till exempel 87,5.",
    "not_index": "Skriv ett indexvärde mellan 0 och 100 utan procenttecken, till exempel 72.",
    "percent_range": "En procentsats ligger mellan 0 och 100.",
    "index_range": "Ett indexvärde ligger mellan 0 och 100.",
    "number_range": "Talet är för stort; skriv ett värde under 1 000 000 000 000.",
    "actions_required": "Beskriv planerade åtgärder när målet inte är uppfyllt eller befaras inte nås.",
    "too_long": f"Texten är för lång; högst {swedish_count(FOLLOWUP_TEXT)} tecken.",
    "concurrent": "Någon annan sparade svar för avdelningen samtidigt. Tryck på Spara igen så läggs dina svar ovanpå.",
}
CHANGE_HEADING = "Förändring"  # the export's column of changes since the previous round: '+' on a rise
EXPORT_HEADINGS = [
    "Uppföljning",
    "Mål",
    "Indikator",
    "Enhet",
    "Målvärde",
    "Avdelning",
    "Status",
    "Värde",
    "Når målvärdet",
    "Föregående värde",
    CHANGE_HEADING,
    "Kommentar",
    "Planerade åtgärder",
    "Lämnad av",
    "Lämnad",
    "Version",
]

REVISION_HEADINGS = ["Avdelning", "Indikator", "Version", "Ändrad av", "Ändrad", "Ändringar"]
ANSWERS_SHEET = "Svar"
REVISIONS_SHEET = "Ändringar"
ON_TARGET_LABELS = {True: "Ja", False: "Nej", None: ""}
FIELD_LABELS = {
    "status": "Status",
    "value_number": "Värde",
    "value_text": "Värde",
    "comment": "Kommentar",
    "actions": "Planerade åtgärder",
}


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
