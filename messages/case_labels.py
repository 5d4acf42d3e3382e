"""Swedish names of case categories, statuses and history steps, and the statistics' headings."""

CATEGORY_LABELS = {
    "klagomal": "Klagomål",
    "synpunkt": "Synpunkt",
    "forslag": "Förslag",
    "berom": "Beröm",
    "fraga": "Fråga",
}
STATUS_LABELS = {"new": "Ny", "taken": "Tagen", "answered": "Besvarad", "closed": "Stängd"}
EVENT_LABELS = {
    "registered": "Registrerad",
    "taken": "Tagen",
    "assigned": "Tilldelad",
    "answered": "Besvarad",
    "closed": "Stängd",
    "reopened": "Återöppnad",
    "confidential": "Sekretessmarkerad",
    "not_confidential": "Sekretessmarkering borttagen",
}
STATISTICS_HEADING = "Synpunkter och klagomål"
DIGEST_HEADING = "Synpunkter och klagomål – rapport till direktionen"
