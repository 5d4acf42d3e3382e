"""A follow-up round on Slack and on Teams, the same scenario and assertions: the round opens with a button, the
form is opened from it and by command, wrong values come back as Swedish field errors with what was typed and
nothing stored, right ones are stored once, reminders reach only those who have not answered, and the status."""

from sqlalchemy import func, select

from bot.followup.rounds import indicators_for
from storage.engine import session_scope
from storage.followup import FollowupAnswer
from tests.chat import STRANGER, Chat, Value
from tests.conftest import local

IT_HEAD, IT_DEPUTY, SPECIALIST_HEAD, ECONOMY_HEAD, PAYROLL_HEAD = (
    "it-chef",
    "it-stf",
    "specialist-chef",
    "ekonomi-chef",
    "lon-chef",
)
QUALITY, DIRECTOR, COMMUNICATOR = "kvalitetschef", "forbundschef", "kommunikator"
OPENS, OPEN = local(2027, 5, 3, 8, 35), local(2027, 5, 4, 10, 0)
ROUND = "Tertialuppföljning 1 2027"


def answers_for(chat: Chat, department_id: str) -> dict[str, Value]:
    """Right answers to every indicator of the department's form, by field id."""
    values: dict[str, Value] = {}
    for _, indicator in indicators_for(chat.config, department_id):
        value = "Digital lönespecifikation" if indicator.unit == "text" else "88"
        values |= {f"{indicator.id}|status": "met", f"{indicator.id}|value": value,
                   f"{indicator.id}|comment": "Enligt plan"}  # fmt: skip
    return values


def answer_count(chat: Chat) -> int:
    with session_scope(chat.engine) as session:
        return session.scalar(select(func.count()).select_from(FollowupAnswer))


def followup_messages(chat: Chat, person: str) -> list[str]:
    return [m.text for m in chat.delivered(person) if ROUND in m.text]


def test_a_round_opened_answered_reminded_and_reported_in_chat(chat: Chat):
    chat.tick(OPENS)
    for head in (IT_HEAD, SPECIALIST_HEAD, PAYROLL_HEAD, ECONOMY_HEAD):
        [opened] = [m for m in chat.delivered(head) if ROUND in m.text]
        assert f"{ROUND} har öppnat" in opened.text and opened.actions
    assert followup_messages(chat, QUALITY) == []  # not a department head

    # The IT head opens the form from the button in the message.
    chat.runtime.clock.set(OPEN)
    [opened] = [m for m in chat.delivered(IT_HEAD) if ROUND in m.text]
    form = chat.click(IT_HEAD, opened, opened.actions[0])
    assert form.form is not None and "Nöjd kund-index" in form.text

    # Wrong values: Swedish errors under the fields, what was typed kept, nothing stored.
    values = answers_for(chat, "it") | {"nki|status": "at_risk", "nki|value": "sjuttio", "nki|comment": "Färre svar",
                                        "nki|actions": "", "it-svarstid|value": "130 %"}  # fmt: skip
    refused = chat.submit_form(IT_HEAD, form, values)
    assert set(refused.errors) == {"nki|value", "nki|actions", "it-svarstid|value"}
    assert "mellan 0 och 100" in refused.errors["it-svarstid|value"]
    assert refused.typed["nki|value"] == "sjuttio" and refused.typed["it-svarstid|value"] == "130 %"
    assert answer_count(chat) == 0

    # Corrected: stored and confirmed; the same submission again is stored once.
    values |= {"nki|value": "66,5", "nki|actions": "Kundträffar i maj", "it-svarstid|value": "82"}
    saved = chat.submit_form(IT_HEAD, refused, values)
    assert saved.errors == {} and "sparade" in saved.text
    assert answer_count(chat) == 7
    again = chat.resubmit()
    assert "redan sparade" in again.text and answer_count(chat) == 7

    # The deputy opens it by command: pre-filled with what the head answered.
    edit = chat.command(IT_DEPUTY, "uppfoljning")
    assert edit.form is not None and chat.shown_values(edit)["nki|value"] == "66,5"

    # Someone who answers for no department is told so.
    assert "svarar inte för någon avdelning" in chat.command(COMMUNICATOR, "uppfoljning").text

    # Payroll, whose head is known by e-mail only, answers from the command.
    payroll = chat.command(PAYROLL_HEAD, "uppfoljning")
    assert "sparade" in chat.submit_form(PAYROLL_HEAD, payroll, answers_for(chat, "loner")).text

    # The reminder five working days before the deadline: only those who have not answered.
    chat.tick(local(2027, 5, 13, 8, 35))
    for person, reminded in ((SPECIALIST_HEAD, 1), (ECONOMY_HEAD, 1), (IT_HEAD, 0), (PAYROLL_HEAD, 0)):
        reminders = [text for text in followup_messages(chat, person) if "Påminnelse" in text]
        assert len(reminders) == reminded, person

    # The status: the quality manager sees every department; others are refused.
    status = chat.command(QUALITY, "uppfoljning status").text
    assert "IT-avdelningen" in status and "klar" in status and "Ekonomiavdelningen" in status
    assert "inte svarat" in status
    assert "inte behörighet" in chat.command(COMMUNICATOR, "uppfoljning status").text


def test_outside_a_round_the_form_says_when_the_next_opens(chat: Chat):
    chat.runtime.clock.set(local(2027, 2, 1, 10, 0))
    text = chat.command(IT_HEAD, "uppfoljning").text
    assert "Ingen uppföljning är öppen" in text and ROUND in text and "3 maj 2027" in text


def test_bad_subcommands_and_refusals(chat: Chat):
    chat.runtime.clock.set(OPEN)
    assert "känner inte igen nåt" in chat.command(DIRECTOR, "uppfoljning nåt").text
    assert "inte behörighet" in chat.command(COMMUNICATOR, "uppfoljning historik nki").text
    unknown = chat.command(DIRECTOR, "uppfoljning historik kundnöjdhet").text
    assert "hittar ingen enskild indikator" in unknown and "nki" in unknown
    assert "Inga svar finns ännu" in chat.command(DIRECTOR, "uppfoljning historik sjukfrånvaro").text
    assert "ingen ställföreträdare" in chat.command(ECONOMY_HEAD, "uppfoljning delegera").text
    assert "inte behörighet" in chat.command(QUALITY, "uppfoljning delegera").text
    assert "inte behörighet" in chat.command(DIRECTOR, "uppfoljning rapport").text
    assert "skickas till dig" in chat.command(QUALITY, "uppfoljning rapport").text


def test_the_closing_summary_reaches_the_quality_manager_with_its_files(chat: Chat):
    chat.tick(OPENS)
    chat.runtime.clock.set(OPEN)
    form = chat.command(IT_HEAD, "uppfoljning")
    assert "sparade" in chat.submit_form(IT_HEAD, form, answers_for(chat, "it")).text
    chat.tick(local(2027, 5, 27, 8, 35))
    summaries = [text for text in followup_messages(chat, QUALITY) if f"Sammanställning: {ROUND}" in text]
    assert len(summaries) == 1 and "Nöjd kund-index" in summaries[0]
    assert sorted(chat.files_to(QUALITY)) == ["uppfoljning-t1-2027.csv", "uppfoljning-t1-2027.xlsx"]
    chat.tick(local(2027, 5, 27, 9, 35))  # a later tick sends nothing more
    assert len(chat.files_to(QUALITY)) == 2


def test_delegation_by_mention_then_the_delegate_chooses_a_department(chat: Chat):
    chat.runtime.clock.set(OPEN)
    handed = chat.command(ECONOMY_HEAD, f"uppfoljning delegera {chat.mention(IT_HEAD)}").text
    assert "IT-chefen (exempel) svarar nu för Ekonomiavdelningen" in handed
    chat.tick(OPEN)
    assert any("du svarar för Ekonomiavdelningen" in text for text in followup_messages(chat, IT_HEAD))

    chooser = chat.command(IT_HEAD, "uppfoljning")
    assert chat.options(chooser, "choice") == ["t1-2027|it", "t1-2027|ekonomi"]
    chosen = chat.submit_form(IT_HEAD, chooser, {"choice": "t1-2027|ekonomi"})
    assert chosen.form is not None and "Ekonomiavdelningen" in chosen.text
    saved = chat.submit_form(IT_HEAD, chosen, answers_for(chat, "ekonomi"))
    assert saved.errors == {} and "Ekonomiavdelningen är sparade" in saved.text


def test_delegation_refusals_and_a_stranger(chat: Chat):
    chat.runtime.clock.set(OPEN)
    assert "ingen ställföreträdare" in chat.command(ECONOMY_HEAD, "uppfoljning delegera").text
    assert "inte behörighet" in chat.command(QUALITY, "uppfoljning delegera").text
    assert chat.command(STRANGER, "uppfoljning status").text.startswith("Jag hittar dig inte")


def test_a_forged_oversized_comment_is_refused_on_its_field_and_nothing_is_stored(chat: Chat):
    chat.runtime.clock.set(OPEN)
    form = chat.command(IT_HEAD, "uppfoljning")
    forged = "x" * 10_000
    refused = chat.submit_form(IT_HEAD, form, answers_for(chat, "it") | {"nki|comment": forged, "nki|actions": forged})
    assert refused.errors == {
        "nki|comment": "Texten är för lång; högst 3\u00a0000 tecken.",
        "nki|actions": "Texten är för lång; högst 3\u00a0000 tecken.",
    }
    assert answer_count(chat) == 0
