"""Swedish names of case categories, statuses and history steps."""

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

PUBLIC_DOCUMENT_NOTICE = (
    "*Det du skickar in blir en allmän handling.* Förbundet är en myndighet: ärendet registreras med ett "
    "ärendenummer och kan lämnas ut till den som begär det, om inte sekretess gäller."
)
ANONYMOUS_NOTICE = (
    "Väljer du *anonym* sparas inget om vem du är – inte ens ditt Slack-konto. "
    "Då kan vi inte svara dig eller fråga om något är oklart."
)
ANSWER_NOTES = {
    True: "Anmälan är anonym: svaret sparas i ärendet men kan inte skickas till någon.",
    False: "Svaret skickas som direktmeddelande till den som lämnade synpunkten och sparas i ärendet.",
}
SENSITIVE_HINT = (
    "Då visar avdelningens kanal bara ärendenummer, kategori och svarsdatum; handläggarna ser resten med knappen Visa."
)
CONTACT_HINT = "Till exempel telefonnummer eller e-post. Lämna tomt om svaret kan komma här i Slack."
FORM_TITLES = {"case_assign": "Tilldela", "case_answer": "Svara", "case_close": "Stäng"}
