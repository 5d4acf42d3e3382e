"""Swedish names of case categories, statuses and history steps, the statistics' headings, the triage buttons and
the fixed texts of the case forms (labels.toml)."""

from messages.labels import labels

CATEGORY_LABELS = labels("case.categories")
STATUS_LABELS = labels("case.statuses")
EVENT_LABELS = labels("case.events")
EVENT_DETAILS = labels("case.event_details")
STATISTICS_HEADING = labels("case.headings")["statistics"]
DIGEST_HEADING = labels("case.headings")["digest"]
MONTHLY_CHART_TITLE = labels("case.headings")["per_month"]

_FORM = labels("case.form")
PUBLIC_DOCUMENT_NOTICE = _FORM["public_document_notice"]
ANONYMOUS_NOTICE = _FORM["anonymous_notice"]
ANSWER_NOTES = {True: _FORM["answer_note_anonymous"], False: _FORM["answer_note_named"]}
SENSITIVE_HINT = _FORM["sensitive_hint"]
CONTACT_HINT = _FORM["contact_hint"]
FIELD_ERROR_FALLBACK = _FORM["field_error_fallback"]
FORM_TITLES = labels("case.form_titles")
FORM_SUBMITS = labels("case.form_submits")
FIELD_ERRORS = labels("case.field_errors")
FIELD_LABELS = labels("case.fields")
PLACEHOLDERS = labels("case.placeholders")
TOGGLE_TEXTS = labels("case.toggles")  # the text beside a checkbox
SUBJECT_GROUPS = labels("case.subject_groups")
TOO_LONG_NAMES = labels("case.too_long")  # what case_too_long.j2 calls a field's text
BUTTONS = labels("case.buttons")
