from datetime import UTC, datetime

from bot.delivery import keys, outbox_rows
from bot.people import channel_recipient
from messages.message import File, Message

NOW = datetime(2027, 5, 4, 8, 0, tzinfo=UTC)


def _rows(message: Message) -> list[dict]:
    recipient = channel_recipient("C1", "#styrelsen")
    key = keys.followup_report("r1", NOW, to_board=True)
    return outbox_rows.message_rows(key=key, recipient=recipient, message=message, due_at=NOW, now=NOW, owner=None)


def test_a_message_with_files_is_split_without_being_cached():
    outbox_rows._cached_split.cache_clear()
    files = (File("svar.csv", "Svar", b"a;b\n1;2\n"),)
    rows = _rows(Message(text="Sammanställning", files=files))
    assert rows and outbox_rows._cached_split.cache_info().currsize == 0
    _rows(Message(text="Sammanställning"))
    assert outbox_rows._cached_split.cache_info().currsize == 1
