"""A BAS survey round on Slack and on Teams, the same scenario and assertions: the invitation with its button, the
form opened from it and by command, wrong values as Swedish field errors with what was typed and nothing stored,
right ones stored once, reminders only to those who have not answered, late answers refused, and the results."""

from sqlalchemy import func, select

from storage.engine import session_scope
from storage.surveys import SurveyAnswer, SurveyResponse
from tests.chat import STRANGER, Chat, Reply, Value
from tests.conftest import local

ARBOGA, ARBOGA_IT, KOPING, KOPING_PAY, KUNGSOR, SURAHAMMAR = (
    "bas-arboga",
    "it-kontakt-arboga",
    "bas-koping",
    "lon-kontakt-koping",
    "bas-kungsor",
    "kommunchef-surahammar",
)
DIRECTOR, QUALITY, COMMUNICATOR = "forbundschef", "kvalitetschef", "kommunikator"
OPENS, OPEN = local(2027, 3, 15, 8, 35), local(2027, 3, 16, 10, 0)
FIVE_DAYS_BEFORE, CLOSES = local(2027, 3, 22, 8, 35), local(2027, 3, 31, 8, 35)
SURVEY = "BAS-enkäten"


def filled(chat: Chat, form: Reply, score: str = "8", text: str = "") -> dict[str, Value]:
    """Every field of the form's page answered: each rating `score`, each free text `text`."""
    return {field: text if field.endswith("|improve") else score for field in chat.shown_values(form)}


def answer_all(chat: Chat, person: str, form: Reply, score: str = "8", text: str = "") -> Reply:
    """Fill in and submit every page of the form; the last reply."""
    reply = chat.submit_form(person, form, filled(chat, form, score, text))
    while reply.form is not None and not reply.errors:
        reply = chat.submit_form(person, reply, filled(chat, reply, score, text))
    return reply


def counts(chat: Chat) -> tuple[int, int]:
    with session_scope(chat.engine) as session:
        responses = session.scalar(select(func.count()).select_from(SurveyResponse))
        answers = session.scalar(select(func.count()).select_from(SurveyAnswer))
    return responses, answers


def survey_messages(chat: Chat, person: str) -> list[str]:
    return [m.text for m in chat.delivered(person) if SURVEY in m.text]


def test_a_survey_round_opened_answered_reminded_and_closed_in_chat(chat: Chat):
    chat.tick(OPENS)
    for person in (ARBOGA, ARBOGA_IT, KOPING, KOPING_PAY, KUNGSOR, SURAHAMMAR):
        [invitation] = [m for m in chat.delivered(person) if SURVEY in m.text]
        assert f"{SURVEY} har öppnat" in invitation.text and invitation.actions == ["survey_open_form"]
    assert survey_messages(chat, DIRECTOR) == []

    # The Arboga contact opens the form from the button: the NKI questions and the five services Arboga takes.
    chat.runtime.clock.set(OPEN)
    [invitation] = [m for m in chat.delivered(ARBOGA) if SURVEY in m.text]
    form = chat.click(ARBOGA, invitation, "survey_open_form")
    assert form.form is not None and "Arboga kommun" in form.text and "Förbundet som helhet" in form.text
    assert "IT-drift och support" in form.text and "E-arkiv" not in form.text

    # Wrong values: Swedish errors under the fields, what was typed kept, nothing stored.
    values = filled(chat, form) | {"_nki|overall": None, "it-drift|quality": "11", "it-drift|improve": "Snabbare svar"}
    refused = chat.submit_form(ARBOGA, form, values)
    assert refused.errors["_nki|overall"] == "Välj ett värde från 1 till 10."
    assert refused.errors["it-drift|quality"] == "Svaret ska vara ett helt tal från 1 till 10."
    assert set(refused.errors) == {"_nki|overall", "it-drift|quality"}
    assert refused.typed["it-drift|improve"] == "Snabbare svar"
    assert counts(chat) == (0, 0)

    # Corrected: stored and thanked; the same submission again is stored once.
    saved = answer_all(chat, ARBOGA, refused, text="Snabbare svar")
    assert "Tack för dina svar" in saved.text and "ändra dina svar" in saved.text
    stored = counts(chat)
    assert stored == (1, 3 + 5 * 4)
    assert "redan sparade" in chat.resubmit().text and counts(chat) == stored

    # Opened again by command: pre-filled with what was answered.
    again = chat.command(ARBOGA, "enkat")
    assert chat.shown_values(again)["_nki|overall"] == "8"

    # Someone who is no contact is told so; a stranger too.
    assert "inte kontaktperson" in chat.command(COMMUNICATOR, "enkat").text
    assert "Jag hittar dig inte" in chat.command(STRANGER, "enkat").text

    # The reminder five working days before closing: only those who have not answered.
    chat.tick(FIVE_DAYS_BEFORE)
    for person, reminded in ((ARBOGA, 0), (ARBOGA_IT, 1), (KOPING, 1), (SURAHAMMAR, 1)):
        assert len([text for text in survey_messages(chat, person) if "Påminnelse" in text]) == reminded, person

    # The status: the director sees who is missing; others are refused.
    status = chat.command(DIRECTOR, "enkat status").text
    assert "Arboga kommun: 1 av 2" in status and "IT-kontakt Arboga (exempel)" in status
    assert "inte behörighet" in chat.command(ARBOGA, "enkat status").text

    # Closed: a late answer is refused in Swedish; the results reach the director (with files) and the leadership
    # group's channel, once.
    chat.tick(CLOSES)
    chat.runtime.clock.set(CLOSES)
    late = chat.submit_form(ARBOGA, again, filled(chat, again, "3"))
    assert "svar tas inte längre emot" in late.shown
    assert counts(chat) == stored
    [results] = [text for text in survey_messages(chat, DIRECTOR) if "resultat" in text]
    assert "1 svar från 6 tillfrågade" in results and "för få svar" in results
    assert "Snabbare svar" in results
    assert sorted(chat.files_to(DIRECTOR)) == ["enkat-bas-2027-03-15.csv", "enkat-bas-2027-03-15.xlsx"]
    assert [m for m in chat.delivered("C0LEDNINGS") if "resultat" in m.text]
    chat.tick(local(2027, 3, 31, 9, 35))
    assert len([text for text in survey_messages(chat, DIRECTOR) if "resultat" in text]) == 1


def test_outside_a_round_the_command_says_when_the_next_opens(chat: Chat):
    chat.runtime.clock.set(local(2027, 2, 1, 10, 0))
    text = chat.command(ARBOGA, "enkat").text
    assert "Ingen BAS-enkät är öppen" in text and "15 mars 2027" in text


def test_help_and_unknown_subcommands(chat: Chat):
    assert "Så använder du /enkat" in chat.command(DIRECTOR, "enkat hjälp").text
    unknown = chat.command(DIRECTOR, "enkat resultaten").text
    assert "känner inte igen `resultaten`" in unknown or "känner inte igen resultaten" in unknown
    assert "inga resultat" in chat.command(DIRECTOR, "enkat resultat").text
    chat.runtime.clock.set(OPEN)
    assert "hittar ingen enkät som heter" in chat.command(DIRECTOR, "enkat resultat nki").text
    assert "inte behörighet" in chat.command(COMMUNICATOR, "enkat export").text
