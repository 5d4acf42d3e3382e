"""A report its owner cannot receive goes once to the director and the quality manager, in Swedish, and shows in
`/kommunikationsplan status`; a fallback that fails in turn is only logged.

Through the real tick against the fake Slack; `/kommunikationsplan status` through the real app over HTTP.
"""

import logging

from sqlmodel import select

from bot.tick import run_tick
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.conftest import local
from tests.test_failure_texts import COMMUNICATOR, DIRECTOR, QUALITY_MANAGER, assert_readable, dms_to, status_reply

NEWSLETTER_AT = local(2027, 1, 28, 14, 0)  # Förbundsnytt, owned by the communicator, to the channel C0VMKFALLA
OWNER = "Kommunikatören (exempel)"
HEADLINE = f"*{OWNER} kunde inte nås med en rapport från Samverkan*"


def tick(runtime, now):
    return run_tick(runtime.engine, runtime.senders, runtime.config, now)


def newsletter_fails(fake_slack) -> None:
    fake_slack.workspace.missing_channels.add("C0VMKFALLA")


def owner_has_no_slack_account(fake_slack) -> None:
    """users.lookupByEmail finds nobody for the communicator's e-mail address."""
    fake_slack.workspace.users[COMMUNICATOR].pop("email")


def fallback_dms(fake_slack, user_id: str) -> list[str]:
    return [text for text in dms_to(fake_slack, user_id) if HEADLINE in text]


def rows_of(runtime, source: str) -> list[Delivery]:
    with session_scope(runtime.engine) as session:
        return list(session.exec(select(Delivery).where(Delivery.source == source).order_by(Delivery.id)))


def test_a_report_the_owner_cannot_receive_goes_once_to_the_director_and_the_quality_manager(fake_slack, runtime):
    owner_has_no_slack_account(fake_slack)
    newsletter_fails(fake_slack)
    tick(runtime, NEWSLETTER_AT)

    [report] = rows_of(runtime, "failure-report")
    assert report.status == "failed" and report.error == "users_not_found"
    for user_id in (DIRECTOR, QUALITY_MANAGER):
        [text] = fallback_dms(fake_slack, user_id)
        assert "Orsak: personen finns inte i Slack. Kontrollera personens e-postadress" in text
        assert "*Utskicket ”Förbundsnytt till alla medarbetare” i kanalen <#C0VMKFALLA> kunde inte levereras*" in text
        assert "Orsak: kanalen finns inte" in text
        assert_readable(text.replace("<#C0VMKFALLA>", ""))
    assert {row.status for row in rows_of(runtime, "fallback-report")} == {"sent"}

    posts = len(fake_slack.calls_to("chat.postMessage"))
    tick(runtime, local(2027, 1, 28, 14, 5))
    tick(runtime, local(2027, 1, 29, 9, 0))
    assert len(fake_slack.calls_to("chat.postMessage")) == posts
    assert len(fallback_dms(fake_slack, DIRECTOR)) == len(fallback_dms(fake_slack, QUALITY_MANAGER)) == 1


def test_an_owner_whose_account_is_disabled_is_named_with_that_reason(fake_slack, runtime):
    newsletter_fails(fake_slack)
    fake_slack.fail_next("chat.postMessage", status=200, error="user_disabled", channel=COMMUNICATOR)
    tick(runtime, NEWSLETTER_AT)

    for user_id in (DIRECTOR, QUALITY_MANAGER):
        [text] = fallback_dms(fake_slack, user_id)
        assert "Orsak: personens Slack-konto är avstängt." in text
        assert "Förbundsnytt till alla medarbetare" in text


def test_a_fallback_that_fails_too_is_only_logged(fake_slack, runtime, caplog):
    owner_has_no_slack_account(fake_slack)
    newsletter_fails(fake_slack)
    for user_id in (DIRECTOR, QUALITY_MANAGER):
        fake_slack.fail_next("chat.postMessage", status=200, error="user_disabled", channel=user_id)
    with caplog.at_level(logging.ERROR, logger="bot.delivery.sender"):
        tick(runtime, NEWSLETTER_AT)
        tick(runtime, local(2027, 1, 28, 14, 5))

    fallbacks = rows_of(runtime, "fallback-report")
    assert len(fallbacks) == 2 and {row.status for row in fallbacks} == {"failed"}
    assert [row.source for row in _all_rows(runtime)].count("failure-report") == 1  # nothing reports the fallback
    assert fallback_dms(fake_slack, DIRECTOR) == fallback_dms(fake_slack, QUALITY_MANAGER) == []
    failed = [record.getMessage() for record in caplog.records if "fallback-report" in record.getMessage()]
    assert len(failed) == 2 and all(message.endswith("failed: user_disabled") for message in failed)


def test_the_status_lists_a_report_that_could_not_be_delivered(slack, fake_slack, runtime):
    owner_has_no_slack_account(fake_slack)
    newsletter_fails(fake_slack)
    tick(runtime, NEWSLETTER_AT)

    status = status_reply(slack, fake_slack)
    assert "Utskicket ”Förbundsnytt till alla medarbetare” i kanalen <#C0VMKFALLA>: kanalen finns inte" in status
    assert f"Rapporten om ett misslyckat utskick till {OWNER}: personen finns inte i Slack." in status
    assert "Beskedet om en rapport" not in status  # the fallback reports went out: not a failure


def _all_rows(runtime) -> list[Delivery]:
    with session_scope(runtime.engine) as session:
        return list(session.exec(select(Delivery)).all())


def test_a_missed_report_the_owner_cannot_receive_goes_to_the_fallback_too(fake_slack, runtime):
    tick(runtime, local(2027, 1, 4, 7, 0))
    owner_has_no_slack_account(fake_slack)
    tick(runtime, local(2027, 3, 1, 7, 0))  # down for eight weeks: the communicator's items were missed

    missed = [row for row in rows_of(runtime, "missed-report") if row.recipient == "person:kommunikator"]
    assert [row.item_id for row in missed] == ["forbundsnytt"]
    assert {row.status for row in missed} == {"failed"}
    for user_id in (DIRECTOR, QUALITY_MANAGER):
        texts = fallback_dms(fake_slack, user_id)
        assert len(texts) == 1 and "Orsak: personen finns inte i Slack." in texts[0]
        assert "*Missade utskick: Förbundsnytt till alla medarbetare*" in texts[0]
