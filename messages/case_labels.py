"""Swedish names of case categories, statuses and history steps, and the fixed texts of the case forms."""

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

FIELD_ERRORS = {
    "unknown_category": "Välj en kategori i listan.",
    "unknown_subject": "Välj en tjänst eller avdelning i listan.",
    "unknown_member": "Välj en kommun i listan.",
    "empty_description": "Beskriv vad det gäller.",
    "source_link_invalid": "Länken till meddelandet gick inte att läsa. Stäng formuläret och registrera meddelandet "
    "på nytt.",
    "contact_when_anonymous": "En anonym anmälan kan inte ha kontaktuppgifter. Ta bort dem eller avmarkera anonym.",
    "no_reporter": "Vi kunde inte se vem du är. Välj anonym eller försök igen.",
    "empty_answer": "Skriv ett svar.",
    "not_configured": "Synpunktshanteringen är inte igång här ännu. Kontakta kvalitetschefen.",
    "empty_resolution": "Beskriv hur ärendet avslutades.",
    "internal_error": "Något gick fel hos Samverkan och ärendet kunde inte registreras. Det du skrivit finns kvar: "
    "försök igen om en stund. Felet är loggat.",
}
