"""The neutral sender with a platform that has no history to search (as Teams): what is guaranteed there."""

from datetime import datetime

from sqlmodel import select

from bot.delivery.keys import plan_occurrence
from bot.delivery.outbox_rows import message_rows
from bot.delivery.platform import Failure, Lookup, Posted, SendError
from bot.delivery.sender import Sender
from bot.people import Recipient
from messages.deliveries import explain_error
from messages.message import File, Message
from storage import outbox
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.platform import Platform
from tests.conftest import local

NOW = local(2027, 2, 1, 9, 0)


class HistorylessSender:
    """Records what it is asked; cannot look for a post after a crash; may refuse uploads."""

    def __init__(self, refuse_uploads: bool = False):
        self.posts: list[tuple[int, Message]] = []
        self.lookups: list[int] = []
        self.refuse_uploads = refuse_uploads

    def post(self, row: Delivery, message: Message, now: datetime) -> Posted:
        self.posts.append((row.id, message))
        return Posted("conversation-1", f"activity-{len(self.posts)}")

    def update(self, row: Delivery, posted: Posted, message: Message) -> None:
        raise AssertionError("not used here")

    def find_posted(self, row: Delivery, now: datetime) -> Lookup:
        self.lookups.append(row.id)
        return Lookup.CANNOT_TELL

    def upload(self, posted: Posted, files: tuple[File, ...]) -> None:
        if self.refuse_uploads:
            raise SendError("upload_refused", Failure.PERMANENT)


def _queue(runtime, message: Message) -> int:
    rows = message_rows(
        key=plan_occurrence("veckobrev", "2027-02-01"),
        recipient=Recipient("channel:C0DIREKTIO", "C0DIREKTIO", "Direktionen"),
        message=message,
        due_at=NOW,
        now=NOW,
        owner=None,
    )
    with session_scope(runtime.engine) as session:
        outbox.enqueue(session, rows)
        return session.exec(select(Delivery)).one().id


def test_a_row_that_may_have_been_posted_is_posted_again_where_the_platform_cannot_tell(runtime):
    """At least once: after a crash mid-post, a platform without history gets the post again."""
    row_id = _queue(runtime, Message(text="Hej"))
    with session_scope(runtime.engine) as session:
        outbox.mark(session, row_id, check_before_post=True)
    platform = HistorylessSender()
    report = Sender(runtime.engine, {Platform.SLACK: platform}, runtime.config).send_due(NOW)
    assert platform.lookups == [row_id] and [message for _, message in platform.posts] == [Message(text="Hej")]
    with session_scope(runtime.engine) as session:
        row = session.get(Delivery, row_id)
    assert [r.id for r in report.sent] == [row_id]
    assert (row.status, row.posted_conversation, row.posted_id, row.check_before_post) == (
        "sent",
        "conversation-1",
        "activity-1",
        False,
    )


def test_files_the_platform_refuses_leave_the_post_sent_and_the_row_saying_why(runtime):
    row_id = _queue(runtime, Message(text="Svaren", files=(File("svar.csv", "Alla svar", b"a;b\n"),)))
    platform = HistorylessSender(refuse_uploads=True)
    Sender(runtime.engine, {Platform.SLACK: platform}, runtime.config).send_rows([row_id], NOW)
    with session_scope(runtime.engine) as session:
        row = session.get(Delivery, row_id)
    assert row.status == "sent" and row.error.startswith("attachments not uploaded")


def test_a_row_for_a_platform_this_process_does_not_serve_fails_at_once_with_a_swedish_reason(runtime):
    """Not retried for hours as an unexpected error: the platform is not enabled, and the status says so."""
    row_id = _queue(runtime, Message(text="Hej"))
    report = Sender(runtime.engine, {}, runtime.config).send_rows([row_id], NOW)
    with session_scope(runtime.engine) as session:
        row = session.get(Delivery, row_id)
    assert [(failed.id, reason) for failed, reason in report.failed] == [(row_id, "platform_not_enabled")]
    assert (row.status, row.attempts) == ("failed", 1)
    assert "inte påslagen" in explain_error(row.error).cause
