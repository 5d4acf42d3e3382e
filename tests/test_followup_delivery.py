"""Summary files through the outbox: uploaded after the message; a failed upload is reported, never re-posted."""

import logging

from alembic import command
from sqlalchemy import inspect, select

from bot.followup.notices import summary_rows
from bot.followup.summary import compile_summary
from bot.tick import run_tick
from storage import outbox
from storage.engine import session_scope
from storage.migrate import _alembic_config, upgrade
from storage.outbox import Delivery
from tests.conftest import local

NOW = local(2027, 5, 4, 10, 0)


def queue_summary(engine, config) -> None:
    with session_scope(engine) as session:
        summary = compile_summary(session, config, config.followup_rounds[0])
        outbox.enqueue(session, summary_rows(config, summary, NOW, on_request=True))


def test_files_follow_the_message_into_the_same_channel(runtime, fake_slack, engine):
    queue_summary(engine, runtime.config)
    run_tick(engine, runtime.senders, runtime.config, NOW)
    methods = [call.method for call in fake_slack.calls if call.method.startswith(("chat.", "files."))]
    first_post = methods.index("chat.postMessage")
    assert methods.index("files.getUploadURLExternal") > first_post
    assert methods.count("files.completeUploadExternal") == 2
    assert all(f["content"] for f in fake_slack.shared_files)


def test_a_failed_upload_is_logged_and_the_message_is_not_posted_again(runtime, fake_slack, engine, caplog):
    queue_summary(engine, runtime.config)
    fake_slack.fail_next("files.getUploadURLExternal", status=200, error="invalid_arguments")
    with caplog.at_level(logging.ERROR, logger="bot.delivery.sender"):
        run_tick(engine, runtime.senders, runtime.config, NOW)
    assert "files could not be uploaded" in caplog.text
    with session_scope(engine) as session:
        rows = session.scalars(select(Delivery).where(Delivery.source == "followup")).all()
    assert {row.status for row in rows} == {"sent"}
    assert sum(1 for row in rows if (row.error or "").startswith("attachments not uploaded")) == 1
    posted = len(fake_slack.posted())
    run_tick(engine, runtime.senders, runtime.config, local(2027, 5, 4, 10, 5))
    assert len(fake_slack.posted()) == posted


def test_the_migration_goes_down_and_up_again(engine):
    command.downgrade(_alembic_config(engine), "0001")
    with engine.connect() as connection:
        assert "followup_answer" not in inspect(connection).get_table_names()
    command.upgrade(_alembic_config(engine), "0002_followup")  # attachments have been in the message since 0006
    with engine.connect() as connection:
        assert "attachments" in {c["name"] for c in inspect(connection).get_columns("delivery")}
    upgrade(engine)


def test_a_failed_upload_is_reported_to_the_owner_once(runtime, fake_slack, engine):
    queue_summary(engine, runtime.config)
    fake_slack.fail_next("files.getUploadURLExternal", status=200, error="invalid_arguments")
    run_tick(engine, runtime.senders, runtime.config, NOW)
    quality = fake_slack.dm_channel("U0VMKF0002")
    reports = [m for m in fake_slack.posted() if m["channel"] == quality and "kunde inte bifogas" in m["text"]]
    assert len(reports) == 1
    text = reports[0]["text"]
    assert "uppfoljning-t1-2027.csv, uppfoljning-t1-2027.xlsx" in text
    assert (
        "Sammanställningen av Tertialuppföljning 1 2027 till Ekonomi- och kvalitetschefen (exempel) skickades" in text
    )
    assert (
        "invalid_arguments" not in text
        and "chattplattformen svarade med ett fel som Samverkan inte känner igen" in text
    )
    assert "/uppfoljning rapport" in text
    run_tick(engine, runtime.senders, runtime.config, local(2027, 5, 4, 10, 5))
    assert len([m for m in fake_slack.posted() if "kunde inte bifogas" in m["text"]]) == 1
