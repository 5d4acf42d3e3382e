"""Files to Teams: a file consent card per file in a personal chat, the accepted file uploaded once to the URL
Teams gave, and a channel (where Teams lets no bot send files) reported to the owner in Swedish."""

import pytest

import bot.teams.files
from bot.delivery.sender import Sender
from bot.people import channel_recipient, person_recipient
from bot.replays import Replayed
from bot.teams.files import FILE_CONSENT_CARD, Consent, FileNotAvailable, UploadFailed, upload_consented
from messages.message import Message
from storage.engine import session_scope
from storage.outbox import Delivery
from storage.requests import ProcessedRequest
from tests.teams_outbox_support import (
    DIREKTION,
    FILES,
    KOMM_CHAT,
    KVAL_CHAT,
    NOW,
    files_sent_to_kval,
    queue_files,
    texts,
)

pytest_plugins = ["tests.teams_fixtures"]


def test_files_to_a_person_come_as_one_consent_card_each_after_the_message(
    engine, fake_teams, teams_senders, installed
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)

    message, *cards = fake_teams.sent(KVAL_CHAT)
    assert "Svaren finns i filerna." in texts([message])[0]
    assert [card["attachments"] for card in cards] == [
        [
            {
                "contentType": FILE_CONSENT_CARD,
                "name": file.filename,
                "content": {
                    "description": file.title,
                    "sizeInBytes": len(file.content),
                    "acceptContext": {"delivery": row_id, "file": index},
                    "declineContext": {"delivery": row_id, "file": index},
                },
            }
        ]
        for index, file in enumerate(FILES)
    ]
    with session_scope(engine) as session:
        row = session.get(Delivery, row_id)
    assert row.status == "sent" and row.error is None and Message.from_json(row.message).files == FILES


def test_files_to_a_channel_leave_the_post_sent_and_the_owner_told_in_swedish(
    engine, fake_teams, teams_senders, installed
):
    row_id = queue_files(engine, channel_recipient(f"teams:{DIREKTION}", "Direktionen"))
    Sender(engine, teams_senders, installed).send_rows([row_id], NOW)
    Sender(engine, teams_senders, installed).send_due(NOW)

    [post] = fake_teams.sent(DIREKTION)
    assert all(a["contentType"] != FILE_CONSENT_CARD for a in post["attachments"])
    assert "Svaren finns i filerna." in texts([post])[0] and "svar.csv" not in texts([post])[0]  # no cards follow
    with session_scope(engine) as session:
        row = session.get(Delivery, row_id)
    assert row.status == "sent" and row.error.startswith("attachments not uploaded")
    [report] = texts(fake_teams.sent(KOMM_CHAT))
    assert (
        "svar.csv, svar.xlsx kunde inte laddas upp: Teams låter bara appen skicka filer i en personlig chatt" in report
    )
    assert "Gör så här: Låt sammanställningen gå till en person" in report


def test_an_accepted_file_is_uploaded_with_its_bytes_and_a_replay_uploads_nothing(
    engine, fake_teams, teams_senders, installed
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    url = fake_teams.upload_url("svar.csv")

    offered = upload_consented(engine, Consent(row_id, 0), KVAL_CHAT, url, NOW)
    with pytest.raises(Replayed):
        upload_consented(engine, Consent(row_id, 0), KVAL_CHAT, url, NOW)

    assert offered.file == FILES[0] and offered.followup
    assert list(fake_teams.uploaded().values()) == [FILES[0].content]
    assert len(fake_teams.calls_to("upload")) == 1


def test_an_accept_from_another_chat_or_for_a_file_that_is_not_there_uploads_nothing(
    engine, fake_teams, teams_senders, installed
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    url = fake_teams.upload_url("svar.csv")
    for consent, conversation in (
        (Consent(row_id, 0), KOMM_CHAT),
        (Consent(row_id, 2), KVAL_CHAT),
        (Consent(row_id + 100, 0), KVAL_CHAT),
    ):
        with pytest.raises(FileNotAvailable):
            upload_consented(engine, consent, conversation, url, NOW)
    assert fake_teams.calls_to("upload") == []


def test_a_failed_upload_records_nothing_so_a_new_accept_uploads(engine, fake_teams, teams_senders, installed):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    with pytest.raises(UploadFailed):
        upload_consented(engine, Consent(row_id, 1), KVAL_CHAT, f"{fake_teams.url}upload/expired", NOW)
    upload_consented(engine, Consent(row_id, 1), KVAL_CHAT, fake_teams.upload_url("svar.xlsx"), NOW)
    assert list(fake_teams.uploaded().values()) == [FILES[1].content]


@pytest.mark.parametrize(
    "context",
    [None, "x", {}, {"delivery": "1", "file": 0}, {"delivery": 1}, {"delivery": True, "file": 0}],
    ids=["none", "text", "empty", "string_id", "no_file", "bool"],
)
def test_a_context_that_is_not_ours_is_read_as_none(context):
    assert Consent.read(context) is None


def test_our_context_is_read_back():
    assert Consent.read({"delivery": 12, "file": 1}) == Consent(12, 1)


def test_files_to_a_person_given_by_email_come_as_consent_cards_in_their_chat(
    engine, fake_teams, teams_senders, installed
):
    row_id = queue_files(engine, person_recipient(installed.person("komm")))
    Sender(engine, teams_senders, installed).send_rows([row_id], NOW)

    message, *cards = fake_teams.sent(KOMM_CHAT)
    assert "Svaren finns i filerna." in texts([message])[0]
    assert [card["attachments"][0]["name"] for card in cards] == ["svar.csv", "svar.xlsx"]
    with session_scope(engine) as session:
        row = session.get(Delivery, row_id)
    assert row.address.startswith("email:") and row.status == "sent" and row.error is None


def test_the_accept_is_committed_before_the_upload_so_no_transaction_waits_on_onedrive(
    engine, fake_teams, teams_senders, installed, monkeypatch
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    consent = Consent(row_id, 0)
    seen_during_put = []

    def put(upload_url: str, content: bytes) -> None:
        with session_scope(engine) as session:  # another connection: sees only what was committed
            seen_during_put.append(session.get(ProcessedRequest, consent.request_key()) is not None)
        real_put(upload_url, content)

    real_put = bot.teams.files.put_file
    monkeypatch.setattr(bot.teams.files, "put_file", put)
    upload_consented(engine, consent, KVAL_CHAT, fake_teams.upload_url("svar.csv"), NOW)
    assert seen_during_put == [True]
    with pytest.raises(Replayed):
        upload_consented(engine, consent, KVAL_CHAT, fake_teams.upload_url("svar.csv"), NOW)
    assert list(fake_teams.uploaded().values()) == [FILES[0].content]
