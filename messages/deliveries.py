"""What an outgoing message was and why it could not be delivered, in Swedish.

One description per kind of message (`describe`, from templates/delivery_description.j2) and one table of
Slack's error codes (`explain_error`), used by the failure reports and by `/kommunikationsplan status` alike.
No raw Slack id or error code reaches a user: places are named by the caller (`Place`), and an unknown error
code gets a general sentence instead of itself.
"""

from dataclasses import dataclass
from enum import StrEnum

from messages.mrkdwn import Mrkdwn
from messages.render import render


class DeliveryKind(StrEnum):
    PLAN = "plan"
    FOLLOWUP_INVITATION = "followup_invitation"
    FOLLOWUP_REMINDER = "followup_reminder"
    FOLLOWUP_FINAL_REMINDER = "followup_final_reminder"
    FOLLOWUP_HANDOVER = "followup_handover"
    FOLLOWUP_ESCALATION = "followup_escalation"
    FOLLOWUP_SUMMARY = "followup_summary"
    FOLLOWUP_BOARD_DIGEST = "followup_board_digest"
    CASE_TRIAGE = "case_triage"
    CASE_RECEIPT = "case_receipt"
    CASE_REMINDER = "case_reminder"
    CASE_ESCALATION = "case_escalation"
    CASE_ANSWER = "case_answer"
    CASE_DIGEST = "case_digest"
    FAILURE_REPORT = "failure_report"
    MISSED_REPORT = "missed_report"
    TEMPLATE_REPORT = "template_report"
    ATTACHMENT_REPORT = "attachment_report"
    UNQUEUED_REPORT = "unqueued_report"
    FALLBACK_REPORT = "fallback_report"
    UNKNOWN = "unknown"


class PlaceKind(StrEnum):
    PERSON = "person"
    REPORTER = "reporter"  # whoever reported a case: never named
    CHANNEL = "channel"  # a channel the configuration names (`name` is whose channel it is)
    TRIAGE_CHANNEL = "triage_channel"  # a department's triage channel (`name` is the department)
    NAMED_CHANNEL = "named_channel"  # a channel the configuration gives as '#name'
    SLACK_CHANNEL = "slack_channel"  # a channel id only Slack can name: shown as a mention, which Slack renders
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Place:
    """Where a message went: a person, the reporter or a channel, with a readable name."""

    kind: PlaceKind
    name: str = ""
    acting_for: str = ""  # the department a person answers a follow-up for


@dataclass(frozen=True)
class DeliveryWhat:
    """The neutral facts behind a description: what kind of message, about what, to where."""

    kind: DeliveryKind
    subject: str
    place: Place


_CHANNELS = (PlaceKind.CHANNEL, PlaceKind.TRIAGE_CHANNEL, PlaceKind.NAMED_CHANNEL, PlaceKind.SLACK_CHANNEL)


def describe(what: DeliveryWhat) -> Mrkdwn:
    """'Påminnelsen om Tertialuppföljning 1 2027 till IT-chefen, som svarar för IT-avdelningen'."""
    in_channel = what.place.kind in _CHANNELS
    return Mrkdwn(
        render("delivery_description", kind=what.kind, subject=what.subject, place=what.place, in_channel=in_channel)
    )


@dataclass(frozen=True)
class Explanation:
    """Why a message did not arrive, and what to do about it."""

    cause: str
    action: str


_NOT_IN_CHANNEL = Explanation("appen är inte medlem i kanalen", "Bjud in appen till kanalen med `/invite @Samverkan`.")
_NO_CHANNEL = Explanation(
    "kanalen finns inte, eller appen ser den inte (en privat kanal som appen inte är inbjuden till)",
    "Kontrollera kanalen i konfigurationen och bjud in appen med `/invite @Samverkan`.",
)
_ARCHIVED = Explanation(
    "kanalen är arkiverad", "Återställ kanalen i Slack eller byt till en annan kanal i konfigurationen."
)
_NO_USER = Explanation(
    "personen finns inte i Slack", "Kontrollera personens e-postadress eller Slack-id i konfigurationen."
)
_NO_LOGIN = Explanation(
    "appens inloggning i Slack fungerar inte",
    "Be den som driftar Samverkan kontrollera SLACK_BOT_TOKEN och installera om appen.",
)
_UNREACHABLE = Explanation(
    "Slack gick inte att nå trots upprepade försök",
    "Be den som driftar Samverkan kontrollera nätverket och Slacks driftstatus (status.slack.com).",
)
_SERVER_ERROR = Explanation(
    "Slack svarade med ett serverfel gång på gång",
    "Kontrollera Slacks driftstatus (status.slack.com); skicka informationen på annat sätt om den inte kan vänta.",
)
UNKNOWN_ERROR = Explanation(
    "Slack svarade med ett fel som Samverkan inte känner igen",
    "Be den som driftar Samverkan söka efter utskicksnumret i botens logg.",
)

# Every error code the sender records (Slack's own, and the sender's: too_many_attempts, connection_error, ...).
ERRORS: dict[str, Explanation] = {
    "not_in_channel": _NOT_IN_CHANNEL,
    "channel_not_found": _NO_CHANNEL,
    "is_archived": _ARCHIVED,
    "channel_is_archived": _ARCHIVED,
    "user_not_found": _NO_USER,
    "users_not_found": _NO_USER,
    "user_disabled": Explanation(
        "personens Slack-konto är avstängt", "Byt mottagare i konfigurationen, till exempel till en ersättare."
    ),
    "cannot_dm_bot": Explanation(
        "mottagaren är en app och kan inte få direktmeddelanden", "Byt mottagare i konfigurationen."
    ),
    "account_inactive": Explanation(
        "appens Slack-konto är inaktiverat",
        "Be den som driftar Samverkan installera om appen och byta SLACK_BOT_TOKEN.",
    ),
    "invalid_auth": _NO_LOGIN,
    "not_authed": _NO_LOGIN,
    "token_revoked": _NO_LOGIN,
    "missing_scope": Explanation(
        "appen saknar en behörighet i Slack",
        "Be den som driftar Samverkan lägga till behörigheterna i manifest.yml och installera om appen.",
    ),
    "msg_too_long": Explanation(
        "meddelandet är för långt för Slack", "Korta meddelandets text i konfigurationen eller dela upp det."
    ),
    "invalid_blocks": Explanation(
        "Slack kunde inte visa meddelandets formatering",
        "Kontrollera länkar och formatering i meddelandets text; "
        "be den som driftar Samverkan titta i loggen om texten ser rätt ut.",
    ),
    "no_text": Explanation("meddelandet var tomt", "Ge meddelandet en text i konfigurationen."),
    "restricted_action": Explanation(
        "arbetsytans inställningar hindrar appen från att skriva där",
        "Be en administratör av Slack tillåta appen att skriva i kanalen.",
    ),
    "ratelimited": Explanation(
        "Slack tog emot för många meddelanden på kort tid", "Inget behöver göras; boten försöker igen av sig själv."
    ),
    "too_many_attempts": _UNREACHABLE,
    "connection_error": _UNREACHABLE,
    "server_error": _SERVER_ERROR,
    "internal_error": _SERVER_ERROR,
    "fatal_error": _SERVER_ERROR,
    "service_unavailable": _SERVER_ERROR,
    "request_timeout": _SERVER_ERROR,
    "unexpected_error": Explanation(
        "ett oväntat fel uppstod i Samverkan", "Be den som driftar Samverkan söka efter utskicksnumret i botens logg."
    ),
    "template": Explanation(
        "meddelandets text i konfigurationen kunde inte fyllas i",
        "Rätta texten och kontrollera filen med `samverkan plan check`.",
    ),
}


def _error_code(stored: str | None) -> str:
    """The table's key for an error as the outbox stores it ('template: …', 'http_503', 'not_in_channel')."""
    code = (stored or "").strip()
    if code.startswith("template:"):
        return "template"
    if code.startswith("http_5"):
        return "server_error"
    return code


def explain_error(stored: str | None) -> Explanation:
    """The Swedish cause and remedy for a stored error; a general sentence for a code we do not know."""
    return ERRORS.get(_error_code(stored), UNKNOWN_ERROR)
