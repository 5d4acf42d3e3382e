"""What the owner reads when a message cannot be delivered: every kind says what it was and where it went, in
Swedish, with channels by name and Slack's error codes translated; the same in `/kommunikationsplan status`.

Through the real app over HTTP and the real tick, with the fake Slack injecting each failure.
"""

import re
from datetime import timedelta

import pytest
from sqlmodel import select

from bot.delivery.describe import delivery_kind
from bot.delivery.sender import MAX_ATTEMPTS
from bot.demo.workspace import user_id_for_email
from bot.followup.rounds import round_times
from bot.tick import run_tick
from messages.deliveries import ERRORS, UNKNOWN_ERROR, DeliveryKind, explain_error
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import REPORTER, report_submission
from tests.command_support import command_answer
from tests.conftest import local

DIRECTOR, QUALITY_MANAGER, IT_HEAD = "U0VMKF0001", "U0VMKF0002", "U0VMKF0010"
COMMUNICATOR = user_id_for_email("kommunikator@vmkf.example")
IT_TRIAGE, LEADERSHIP_CHANNEL, BOARD_CHANNEL = "C0VMKFITTR", "C0LEDNINGS", "C0DIREKTIO"
# A Slack id (C…, U…, D…, G…, W…) standing on its own; inside a mention (<#C…>) Slack shows the name instead.
RAW_ID = re.compile(r"(?<![<#@])\b[CDGUW](?=[A-Z0-9]*\d)[A-Z0-9]{7,}\b")
ERROR_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")  # not_in_channel, channel_not_found, http_500, ...


def tick(runtime, now):
    return run_tick(runtime.engine, runtime.senders, runtime.config, now)


def dms_to(fake_slack, user_id: str) -> list[str]:
    return [message["text"] for message in fake_slack.messages_in(fake_slack.dm_channel(user_id))]


def the_report(fake_slack, user_id: str, headline: str) -> str:
    """The one DM to `user_id` that reports a failure, checked for raw ids and raw error codes."""
    [text] = [text for text in dms_to(fake_slack, user_id) if "kunde inte" in text]
    assert headline in text
    assert_readable(text)
    return text


def assert_readable(text: str) -> None:
    assert not RAW_ID.findall(text), text
    assert not ERROR_CODE.findall(text), text


def failure_queued(runtime) -> bool:
    """True once the request has sent (or failed) every message of its case and queued the failure report;
    it does so after acknowledging."""
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Delivery)).all()
    reported = any(row.source == "failure-report" for row in rows)
    return reported and all(row.status in ("sent", "failed") for row in rows if row.source == "case")


def case_messages_sent(runtime) -> bool:
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.source == "case")).all()
    return bool(rows) and all(row.status == "sent" for row in rows)


def status_reply(slack, fake_slack, user_id: str = DIRECTOR) -> str:
    body = command_answer(slack, fake_slack, "/kommunikationsplan", "status", user_id)
    return "\n".join(block["text"]["text"] for block in body["blocks"] if block["type"] == "section")


def test_a_triage_post_the_bot_cannot_make_is_reported_by_case_number_and_channel(slack, fake_slack, runtime):
    fake_slack.workspace.channels_without_bot.add(IT_TRIAGE)
    assert slack.interaction(report_submission(REPORTER)).status == 200
    slack.idle()
    assert failure_queued(runtime)  # the triage post failed, the receipt went
    tick(runtime, local(2027, 2, 1, 7, 5))

    text = the_report(
        fake_slack,
        IT_HEAD,
        "*Registreringen av ärende VMKF 2027-0001 i triagekanalen för IT-avdelningen kunde inte levereras*",
    )
    assert "Orsak: appen är inte medlem i kanalen." in text
    assert "Gör så här: Bjud in appen till kanalen med `/invite @Samverkan`." in text
    assert "avdelningen ser det inte i kanalen" in text

    status = status_reply(slack, fake_slack)
    assert (
        "Registreringen av ärende VMKF 2027-0001 i triagekanalen för IT-avdelningen: appen är inte medlem i "
        "kanalen. Bjud in appen" in status
    )
    assert "Kvittot på ärende VMKF 2027-0001 till den som lämnade ärendet" in status
    assert_readable(status)


def test_a_receipt_that_cannot_reach_the_reporter_is_reported_without_naming_them(slack, fake_slack, runtime):
    fake_slack.fail_next("chat.postMessage", status=200, error="user_not_found", channel=REPORTER)
    assert slack.interaction(report_submission(REPORTER)).status == 200
    slack.idle()
    assert failure_queued(runtime)
    tick(runtime, local(2027, 2, 1, 7, 5))

    text = the_report(
        fake_slack, IT_HEAD, "*Kvittot på ärende VMKF 2027-0001 till den som lämnade ärendet kunde inte levereras*"
    )
    assert "Orsak: personen finns inte i Slack." in text
    assert "inte fått kvittot med ärendenumret" in text
    assert "Kommunchef Arboga" not in text


def test_a_case_reminder_that_fails_is_reported_to_the_quality_manager(slack, fake_slack, runtime):
    assert slack.interaction(report_submission(REPORTER)).status == 200
    slack.idle()
    assert case_messages_sent(runtime)
    fake_slack.fail_next("chat.postMessage", status=200, error="something_slack_added_later", channel=IT_HEAD)
    tick(runtime, local(2027, 2, 2, 8, 30))  # a working day before the take deadline

    text = the_report(
        fake_slack, QUALITY_MANAGER, "*Påminnelsen om ärende VMKF 2027-0001 till IT-chefen (exempel) kunde inte"
    )
    assert f"Orsak: {UNKNOWN_ERROR.cause}." in text
    assert "söka efter utskicksnumret i botens logg" in text and "(utskick nr " in text


def test_follow_up_invitations_and_the_board_digest_say_which_round_and_department(fake_slack, runtime):
    round_ = runtime.config.followup_rounds[0]
    tick(runtime, local(2027, 5, 3, 8, 29))  # the Monday plan DMs first, so that only the invitation fails
    fake_slack.fail_next("chat.postMessage", status=200, error="user_not_found", channel=IT_HEAD)
    tick(runtime, local(2027, 5, 3, 8, 30))
    invitation = the_report(
        fake_slack,
        QUALITY_MANAGER,
        f"*Inbjudan till {round_.name} till IT-chefen (exempel), som svarar för IT-avdelningen kunde inte levereras*",
    )
    assert "Kontrollera personens e-postadress eller Slack-id i konfigurationen." in invitation
    assert "kan ändå öppna formuläret med `/uppfoljning`" in invitation

    fake_slack.reset()
    fake_slack.workspace.missing_channels.add(BOARD_CHANNEL)
    tick(runtime, local(2027, 5, 27, 8, 30))  # the round closes: the summary, and the digest to the board
    digest = the_report(
        fake_slack,
        QUALITY_MANAGER,
        f"*Sammanfattningen av {round_.name} för direktionen i kanalen för Direktionen kunde inte levereras*",
    )
    assert "Orsak: kanalen finns inte, eller appen ser den inte" in digest
    assert "skicka sammanställningen igen med `/uppfoljning rapport`" in digest


def test_the_case_digest_that_cannot_be_posted_is_reported(fake_slack, runtime):
    fake_slack.workspace.missing_channels.add(BOARD_CHANNEL)
    tick(runtime, local(2027, 7, 15, 9, 0))
    the_report(
        fake_slack,
        QUALITY_MANAGER,
        "*Statistiken över synpunkter och klagomål i kanalen för Direktionen kunde inte levereras*",
    )


def test_a_channel_the_configuration_does_not_name_is_left_for_slack_to_name(fake_slack, runtime):
    fake_slack.workspace.missing_channels.add("C0VMKFALLA")
    tick(runtime, local(2027, 1, 28, 14, 0))  # Förbundsnytt also goes to a channel given only by id
    text = the_report(
        fake_slack, COMMUNICATOR, "*Utskicket ”Förbundsnytt till alla medarbetare” i kanalen <#C0VMKFALLA>"
    )
    assert "C0VMKFALLA" not in RAW_ID.sub("", text.replace("<#C0VMKFALLA>", ""))


PLAN_CHANNEL_ERRORS = [
    ("not_in_channel", "appen är inte medlem i kanalen", "Bjud in appen till kanalen med `/invite @Samverkan`."),
    ("channel_not_found", "kanalen finns inte", "Kontrollera kanalen i konfigurationen"),
    ("is_archived", "kanalen är arkiverad", "Återställ kanalen i Slack"),
    ("msg_too_long", "meddelandet är för långt för Slack", "Korta meddelandets text"),
    ("invalid_blocks", "Slack kunde inte visa meddelandets formatering", "Kontrollera länkar och formatering"),
    ("restricted_action", "arbetsytans inställningar hindrar appen", "Be en administratör av Slack"),
    (
        "brand_new_code",
        "chattplattformen svarade med ett fel som Samverkan inte känner igen",
        "söka efter utskicksnumret",
    ),
]


@pytest.mark.parametrize(("code", "cause", "action"), PLAN_CHANNEL_ERRORS, ids=[c for c, _, _ in PLAN_CHANNEL_ERRORS])
def test_each_slack_error_is_explained_with_what_to_do_in_the_report_and_the_status(
    slack, fake_slack, runtime, code, cause, action
):
    fake_slack.fail_next("chat.postMessage", status=200, error=code, channel=LEADERSHIP_CHANNEL)
    tick(runtime, local(2027, 2, 2, 8, 30))
    text = the_report(
        fake_slack,
        DIRECTOR,
        "*Utskicket ”Punkter till ledningsgruppens möte” i kanalen för Ledningsgruppen (kommuncheferna) kunde inte",
    )
    assert f"Orsak: {cause}" in text and action in text and code not in text
    status = status_reply(slack, fake_slack, QUALITY_MANAGER)
    assert cause in status and action in status
    assert_readable(status)


def test_an_inactive_token_is_explained_once_the_retries_are_spent(fake_slack, runtime):
    fake_slack.fail_next(
        "chat.postMessage", status=200, error="account_inactive", times=MAX_ATTEMPTS, channel=LEADERSHIP_CHANNEL
    )
    now = local(2027, 2, 2, 8, 30)
    for _ in range(MAX_ATTEMPTS):
        tick(runtime, now)
        with session_scope(runtime.engine) as session:
            row = session.exec(select(Delivery).where(Delivery.address == LEADERSHIP_CHANNEL)).one()
        now = max(now, row.next_attempt_at) + timedelta(seconds=1)
    text = the_report(fake_slack, DIRECTOR, "kunde inte levereras")
    assert "Orsak: appens Slack-konto är inaktiverat." in text and "SLACK_BOT_TOKEN" in text


def test_every_code_the_sender_records_has_a_swedish_explanation():
    from bot.slack.sender import OPERATOR_ERRORS, PERMANENT_ERRORS

    recorded = PERMANENT_ERRORS | OPERATOR_ERRORS | {"ratelimited", "too_many_attempts", "unexpected_error"}
    assert recorded <= set(ERRORS)
    assert explain_error("template: 'event' is undefined") is ERRORS["template"]
    assert explain_error("http_503") is explain_error("internal_error")
    assert explain_error("ratelimited").action.startswith("Inget behöver göras")


def test_every_row_the_producers_write_is_known_by_its_kind(slack, fake_slack, runtime, clock):
    """The descriptions read a row's kind from its source and occurrence key: every producer's rows must map."""
    config = runtime.config
    assert slack.interaction(report_submission(REPORTER)).status == 200
    slack.idle()
    assert case_messages_sent(runtime)
    for moment in (local(2027, 2, 2, 8, 30), local(2027, 2, 4, 8, 30)):  # case reminder, then escalation
        tick(runtime, moment)
    times = round_times(config, config.followup_rounds[0])
    tick(runtime, times.opens_at)
    clock.set(times.opens_at + timedelta(hours=1))
    assert slack.command("/uppfoljning", text="delegera", user_id="U0VMKF0012").status == 200
    slack.idle()
    assert any(row.occurrence_key.startswith("delegated:") for row in rows(runtime))
    for moment in (*(at for _, at in times.reminders), times.escalation_at, times.closes_at, local(2027, 7, 15, 9)):
        tick(runtime, moment)

    kinds = {delivery_kind(row) for row in rows(runtime)}
    assert DeliveryKind.UNKNOWN not in kinds
    assert kinds >= {
        DeliveryKind.PLAN,
        DeliveryKind.FOLLOWUP_INVITATION,
        DeliveryKind.FOLLOWUP_REMINDER,
        DeliveryKind.FOLLOWUP_FINAL_REMINDER,
        DeliveryKind.FOLLOWUP_HANDOVER,
        DeliveryKind.FOLLOWUP_ESCALATION,
        DeliveryKind.FOLLOWUP_SUMMARY,
        DeliveryKind.FOLLOWUP_BOARD_DIGEST,
        DeliveryKind.CASE_TRIAGE,
        DeliveryKind.CASE_RECEIPT,
        DeliveryKind.CASE_REMINDER,
        DeliveryKind.CASE_ESCALATION,
        DeliveryKind.CASE_DIGEST,
    }


def rows(runtime) -> list[Delivery]:
    with session_scope(runtime.engine) as session:
        return list(session.exec(select(Delivery)).all())
