"""The typed key builders write the strings earlier versions wrote, so rows queued before an upgrade still match."""

from datetime import UTC, date, datetime

from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows, update_row
from bot.people import channel_recipient
from messages.deliveries import DeliveryKind
from messages.message import Message
from storage import cases as store
from storage import outbox
from storage.engine import session_scope


def test_case_keys_keep_their_stored_strings():
    assert (keys.case_receipt(7).occurrence, keys.case_receipt(7).kind) == ("receipt", DeliveryKind.CASE_RECEIPT)
    assert (keys.case_triage(7).occurrence, keys.case_triage(7).kind) == ("triage", DeliveryKind.CASE_TRIAGE)
    assert keys.case_answer(7, "e12").occurrence == "answer:e12"
    reminder = keys.case_notice(7, escalation=False, stage="take", deadline=date(2027, 2, 3))
    escalation = keys.case_notice(7, escalation=True, stage="answer", deadline=date(2027, 2, 15))
    assert (reminder.occurrence, reminder.kind) == ("reminder-take:2027-02-03", DeliveryKind.CASE_REMINDER)
    assert (escalation.occurrence, escalation.kind) == ("escalation-answer:2027-02-15", DeliveryKind.CASE_ESCALATION)
    assert {keys.case_triage(7).item_id, keys.case_triage(7).source} == {"7", "case"}


def test_followup_summary_keys_keep_their_stored_strings():
    at = datetime(2027, 5, 4, 8, 0, tzinfo=UTC)
    assert keys.followup_summary("r1", to_board=False).occurrence == "summary"
    report = keys.followup_report("r1", at, to_board=True)
    assert (report.occurrence, report.kind) == ("report:2027-05-04T08:00:00+00:00", DeliveryKind.FOLLOWUP_BOARD_DIGEST)


def test_a_case_is_claimed_by_kind_and_its_triage_updates_are_not_its_posts(engine):
    at = datetime(2027, 2, 1, 8, 0, tzinfo=UTC)
    recipient = channel_recipient("C1", "#triage")

    def rows(key: keys.OutboxKey) -> list[dict]:
        return message_rows(key=key, recipient=recipient, message=Message(text="x"), due_at=at, now=at, owner=None)

    with session_scope(engine) as session:
        queued = [keys.case_triage(7), keys.case_answer(7, "e1"), keys.case_receipt(8)]
        outbox.enqueue(session, [row for key in queued for row in rows(key)])
        post = store.triage_delivery(session, 7, DeliveryKind.CASE_TRIAGE)
        outbox.enqueue(session, [update_row(target=post, key=keys.case_update(7, 3, "r"), now=at)])
        claimed = outbox.claim_item_posts(session, "case", "7", keys.CASE_REPLY_KINDS, at)
        assert [row.occurrence_key for row in claimed] == ["triage", "answer:e1"]
        assert outbox.claim_item_posts(session, "case", "7", keys.CASE_REPLY_KINDS, at) == []  # claimed once
        assert store.triage_delivery(session, 7, DeliveryKind.CASE_TRIAGE).id == post.id
