"""`/direktion` on Slack and on Teams: the help, a word it does not know, and how a subcommand's reply and a
subcommand's form reach the user (the parts of the board's cycle register their subcommands in
bot/board/command.py; here stand-ins are registered to test the command itself)."""

from bot.board import command
from bot.board.command import BoardRequest, board_form, board_reply
from bot.errors import NotAllowed
from bot.permissions import Action
from messages.form import Form, TextField
from messages.message import Message
from tests.chat import Chat
from tests.conftest import local

DIRECTOR = "forbundschef"
REFUSAL = "Tyvärr, du har inte behörighet att se leveransstatus."


def test_help_lists_the_subcommands(chat: Chat):
    text = chat.command(DIRECTOR, "direktion hjälp").text
    assert "Så använder du /direktion" in text and "Jag förstår inte" not in text
    for word in ("protokoll", "kvittenser", "uppgifter", "export"):
        assert f"/direktion {word}" in text


def test_a_word_it_does_not_know_gets_the_help(chat: Chat):
    text = chat.command(DIRECTOR, "direktion protokol").text
    assert 'Jag förstår inte "protokol".' in text and "Så använder du /direktion" in text


def test_a_reply_subcommand_is_answered_with_what_follows_the_word(chat: Chat, monkeypatch):
    seen: list[BoardRequest] = []

    def stand_in(request: BoardRequest) -> Message:
        seen.append(request)
        return Message(text=f"Svar för {request.asker.known().name}: {request.rest}")

    monkeypatch.setitem(command.REPLIES, "prov", stand_in)
    text = chat.command(DIRECTOR, "direktion PROV  direktion-2027-02 ").text
    assert "Svar för Förbundschefen (exempel): direktion-2027-02" in text
    assert len(seen) == 1 and seen[0].request_key


def test_a_refusal_is_said_in_swedish(chat: Chat, monkeypatch):
    def refuse(request: BoardRequest) -> Message:
        raise NotAllowed(Action.SEE_DELIVERY_STATUS)

    monkeypatch.setitem(command.REPLIES, "prov", refuse)
    assert REFUSAL in chat.command(DIRECTOR, "direktion prov").text


def test_a_form_subcommand_opens_its_form(chat: Chat, monkeypatch):
    form = Form(title="Prov", parts=(TextField("titel", "Rubrik", initial="Budget 2028"),), kind="board_prov")
    monkeypatch.setitem(command.FORMS, "prov", lambda request: form)
    shown = chat.command(DIRECTOR, "direktion prov")
    assert shown.form is not None
    assert chat.shown_values(shown) == {"titel": "Budget 2028"}


def test_a_form_subcommand_refused_shows_why_instead_of_the_form(chat: Chat, monkeypatch):
    def refuse(request: BoardRequest) -> Form:
        raise NotAllowed(Action.SEE_DELIVERY_STATUS)

    monkeypatch.setitem(command.FORMS, "prov", refuse)
    shown = chat.command(DIRECTOR, "direktion prov")
    assert shown.form is None and REFUSAL in shown.text


def test_without_a_board_section_every_subcommand_says_so(runtime, monkeypatch):
    word = "prov"
    config = runtime.config.model_copy(update={"board": None})
    monkeypatch.setitem(command.REPLIES, word, lambda request: Message(text="nej"))
    monkeypatch.setitem(command.FORMS, word, lambda request: Form(title="nej", parts=()))
    request = BoardRequest(
        engine=runtime.engine, config=config, asker=None, rest="", now=local(2027, 2, 1, 9, 0), request_key="k"
    )
    assert "inte inställd" in board_reply(request, word).text
    assert "inte inställd" in board_form(request, word).parts[0].markup
