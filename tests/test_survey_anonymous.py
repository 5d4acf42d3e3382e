"""An anonymous survey stores no trace of who answered: not in any table, the outbox or the log. Proven by
searching the SQLite database file itself (its WAL checkpointed into it) for the respondent's ids, name and e-mail,
while the same search finds a person who was only invited."""

import logging
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import select

from bot.config.model import AssociationConfig
from storage.engine import session_scope
from storage.surveys import SurveyResponse
from tests.cases_support import dump_tables
from tests.chat import Chat
from tests.conftest import local
from tests.test_survey_scenarios import answer_all, filled

RESPONDENT = "kommunchef-surahammar"  # Surahammar's only contact (its chief: Surahammar names no contacts)
INVITED = "bas-arboga"
OPEN = local(2027, 3, 16, 10, 0)  # the bot was down when the round opened: no invitation has gone out yet
TICKS = (local(2027, 3, 16, 10, 5), local(2027, 3, 22, 8, 35), local(2027, 3, 30, 8, 35), local(2027, 3, 31, 8, 35))


def anonymous(config: AssociationConfig) -> AssociationConfig:
    surveys = [survey.model_copy(update={"anonymous": True}) for survey in config.surveys]
    return config.model_copy(update={"surveys": surveys})


def identity(config: AssociationConfig, person_id: str) -> list[str]:
    """Everything that names the person: their id, chat ids, name and e-mail."""
    person = config.person(person_id)
    return [value for value in (person.id, person.slack_id, person.teams_id, person.name, person.email) if value]


def database_bytes(engine: Engine) -> bytes:
    """The SQLite file as it lies on disk, with its write-ahead log (checkpointed into the file as far as the app's
    open connections let it, and read as well)."""
    raw = engine.raw_connection()  # outside a transaction: a checkpoint cannot run inside one
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
    finally:
        raw.close()
    path = Path(engine.url.database or "")
    wal = path.with_name(path.name + "-wal")
    return path.read_bytes() + (wal.read_bytes() if wal.exists() else b"")


def answer_anonymously(chat: Chat) -> None:
    chat.runtime.config = anonymous(chat.runtime.config)
    chat.runtime.clock.set(OPEN)
    form = chat.command(RESPONDENT, "enkat")
    assert form.form is not None and "anonym" in form.text
    assert "utan ditt namn" in answer_all(chat, RESPONDENT, form, text="Bättre svarstider på kvällar").text
    for now in TICKS:
        chat.tick(now)


def test_the_database_file_and_the_log_hold_no_trace_of_the_respondent(slack, runtime, fake_slack, caplog):
    if runtime.engine.dialect.name != "sqlite":
        pytest.skip("the file search is for SQLite; the table search below runs on both databases")
    from tests.chat import SlackChat

    caplog.set_level(logging.DEBUG)
    chat = SlackChat(runtime, slack, fake_slack)
    answer_anonymously(chat)

    with session_scope(runtime.engine) as session:
        (response,) = session.exec(select(SurveyResponse)).all()
    assert (response.member_id, response.person_id, response.submitted_at) == ("surahammar", None, None)
    stored = database_bytes(runtime.engine)
    assert "Bättre svarstider på kvällar".encode() in stored  # the answer is there
    invited = runtime.config.person(INVITED)
    for trace in (invited.id, invited.slack_id):  # the search finds a person the file holds (in their invitation)
        assert trace and trace.encode() in stored, trace
    for trace in identity(runtime.config, RESPONDENT):
        assert trace.encode() not in stored, trace
        assert trace not in caplog.text, trace
    # Nobody sent the respondent anything: Surahammar had all its answers before the invitations went out.
    assert chat.delivered(RESPONDENT) == []


def test_no_table_holds_the_respondent_on_either_platform(chat: Chat):
    answer_anonymously(chat)
    tables = dump_tables(chat.engine)
    assert "Bättre svarstider på kvällar" in tables
    survey_rows = "\n".join(
        line for line in tables.splitlines() if line.startswith(("survey_", "delivery", "processed"))
    )
    for trace in identity(chat.config, RESPONDENT) + [chat.reporter_id(RESPONDENT)]:
        assert trace not in survey_rows, trace
    assert any(trace in tables for trace in identity(chat.config, INVITED))


def test_a_member_gets_no_more_answers_than_it_has_contacts_and_reminders_say_so(chat: Chat):
    chat.runtime.config = anonymous(chat.runtime.config)
    chat.tick(local(2027, 3, 15, 8, 35))
    chat.runtime.clock.set(OPEN)
    form = chat.command("bas-kungsor", "enkat")
    answer_all(chat, "bas-kungsor", form)
    second = chat.command("bas-kungsor", "enkat")
    refused = chat.submit_form("bas-kungsor", second, filled(chat, second, "7"))
    assert "lika många svar från din kommun som kommunen har kontaktpersoner" in refused.shown
    # Arboga has two contacts and one answer: both are reminded, and told to disregard it if they have answered.
    arboga = chat.command(INVITED, "enkat")
    answer_all(chat, INVITED, arboga)
    chat.tick(local(2027, 3, 22, 8, 35))
    for person, reminded in ((INVITED, 1), ("it-kontakt-arboga", 1), ("bas-kungsor", 0)):
        reminders = [m.text for m in chat.delivered(person) if "Påminnelse" in m.text]
        assert len(reminders) == reminded, person
    assert all("bortse från detta" in m.text for m in chat.delivered(INVITED) if "Påminnelse" in m.text)
