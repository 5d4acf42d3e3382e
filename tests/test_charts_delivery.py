"""Charts where people look: the data each is drawn from (the indicators' trends across rounds, the cases per month
and category), and the pictures reaching Slack as image blocks of private uploads (exactly once, also when Slack
first refuses a file it is still processing) and Teams in the card, from the outbox. Both databases."""

import base64
import io

import pytest
from PIL import Image as Picture
from slack_sdk.errors import SlackApiError
from sqlmodel import select

from bot.cases.digest import enqueue_case_digest
from bot.cases.statistics import case_statistics
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.delivery.sender import Sender
from bot.followup.notices import summary_rows
from bot.followup.rounds import find_round
from bot.followup.summary import compile_summary
from bot.followup.trends import history_rounds, trend_chart
from bot.people import channel_recipient, person_recipient
from bot.tick import run_tick
from messages.charts.data import TrendChart, TrendPoint, TrendSeries
from messages.charts.images import trend_image
from messages.message import Message
from storage import outbox
from storage.engine import session_scope
from storage.followup import FollowupAnswer
from storage.outbox import Delivery
from tests.adaptive_cards import assert_valid_cards
from tests.cases_support import a_report, register
from tests.conftest import local
from tests.teams_outbox_support import DIREKTION, KVAL_CHAT
from tests.teams_outbox_support import NOW as TEAMS_NOW

pytest_plugins = ["tests.teams_fixtures"]

NOW = local(2027, 9, 20, 10, 0)
QUALITY_DM = "D0VMKF0002"  # the quality manager's DM in the fake Slack
BOARD = "C0DIREKTIO"
ANSWERS = [  # round, department, indicator, value, status
    ("t1-2027", "it", "nki", 65.0, "not_met"),
    ("delar-2027", "it", "nki", 72.0, "met"),
    ("delar-2027", "loner", "nki", 69.0, "partly_met"),
    ("t1-2027", "ekonomi", "sjukfranvaro", 6.5, "at_risk"),
    ("delar-2027", "ekonomi", "utvecklingsinsats", None, "met"),  # a text indicator: no chart
    ("helar-2027", "it", "nki", 90.0, "met"),  # a later round: not in the interim round's charts
]


@pytest.fixture
def answered(engine, example_config):
    with session_scope(engine) as session:
        for round_id, department, indicator, value, status in ANSWERS:
            session.add(
                FollowupAnswer(
                    round_id=round_id,
                    department_id=department,
                    indicator_id=indicator,
                    status=status,
                    value_number=value,
                    value_text=None if value is not None else "Ny e-tjänst",
                    submitted_by=example_config.department(department).head,
                    submitted_at=local(2027, 9, 10, 9, 0),
                )
            )
    return find_round(example_config, "delar-2027")


def trend_chart_example() -> TrendChart:
    series = TrendSeries("IT-avdelningen", (TrendPoint(0, 65.0, "not_met"), TrendPoint(1, 72.0, "met")))
    return TrendChart("NKI", "Index 0–100", ("T1 2027", "Delår 2027"), (series,), 70.0, "NKI >= 70")


def interim_summary(engine, config):
    with session_scope(engine) as session:
        return compile_summary(session, config, find_round(config, "delar-2027"))


def test_the_history_is_the_round_and_those_that_opened_before_it(example_config):
    ids = [round_.id for round_ in history_rounds(example_config, find_round(example_config, "delar-2027"))]
    assert ids == ["t1-2027", "delar-2027"]


def test_each_numeric_indicator_with_values_has_its_departments_values_across_the_rounds(
    engine, example_config, answered
):
    summary = interim_summary(engine, example_config)
    assert [trend.indicator.id for trend in summary.trends] == ["nki", "sjukfranvaro"]
    nki, absence = summary.trends
    assert [round_.id for round_ in nki.rounds] == ["t1-2027", "delar-2027"]
    assert nki.values == (
        ("it", (TrendPoint(0, 65.0, "not_met"), TrendPoint(1, 72.0, "met"))),
        ("loner", (TrendPoint(1, 69.0, "partly_met"),)),
    )
    assert absence.values == (("ekonomi", (TrendPoint(0, 6.5, "at_risk"),)),)
    chart = trend_chart(example_config, nki)
    assert (chart.title, chart.unit, chart.target, chart.target_label) == (
        "Nöjd kund-index (NKI) bland medlemskommunerna",
        "Index 0–100",
        70.0,
        "NKI >= 70",
    )
    assert chart.rounds == ("Tertialuppföljning 1 2027", "Delårsuppföljning 2027")
    assert [series.label for series in chart.series] == ["IT-avdelningen", "Löneavdelningen"]


def test_the_cases_are_counted_per_month_and_category_by_the_local_date(engine, example_config):
    register(engine, example_config, a_report(category="klagomal"), local(2027, 1, 31, 23, 30))  # UTC: the 31st
    register(engine, example_config, a_report(category="klagomal"), local(2027, 2, 1, 0, 30))  # UTC: January
    register(engine, example_config, a_report(category="berom"), local(2027, 12, 1, 9, 0))
    with session_scope(engine) as session:
        stats = case_statistics(session=session, config=example_config, year=2027, now=local(2028, 1, 15, 9, 0))
    by_month = dict(stats.by_month)
    assert by_month["klagomal"] == (1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    assert by_month["berom"] == (0,) * 11 + (1,)
    assert by_month["fraga"] == (0,) * 12 and [key for key, _ in stats.by_month] == [k for k, _ in stats.by_category]


def picture_of(png: bytes) -> Picture.Image:
    picture = Picture.open(io.BytesIO(png))
    picture.load()
    return picture


def image_blocks(message: dict) -> list[dict]:
    return [block for block in message["blocks"] if block["type"] == "image"]


def queue_interim_summary(engine, config) -> None:
    summary = interim_summary(engine, config)
    with session_scope(engine) as session:
        outbox.enqueue(session, summary_rows(config, summary, NOW, on_request=True))


def test_slack_shows_the_trend_charts_as_image_blocks_of_private_uploads(runtime, fake_slack, engine, answered):
    queue_interim_summary(engine, runtime.config)
    run_tick(engine, runtime.senders, runtime.config, NOW)

    private = fake_slack.private_files
    assert sorted(file["name"] for file in private.values()) == ["trend-nki.png"] * 2 + ["trend-sjukfranvaro.png"] * 2
    for file in private.values():
        assert picture_of(file["content"]).size == (800, 400) and file["alt_txt"].startswith("Linjediagram: ")
    for channel in (QUALITY_DM, BOARD):
        messages = fake_slack.messages_in(channel)
        blocks = [block for message in messages for block in image_blocks(message)]
        assert all(len(message["blocks"]) <= 50 for message in messages)
        assert [private[block["slack_file"]["id"]]["name"] for block in blocks] == [
            "trend-nki.png",
            "trend-sjukfranvaro.png",
        ]
        assert blocks[0]["alt_text"].startswith("Linjediagram: Nöjd kund-index (NKI)")
        assert "IT-avdelningen: Tertialuppföljning 1 2027 65 (ej uppfyllt)" in blocks[0]["alt_text"]
    assert {file["channel"] for file in fake_slack.shared_files} == {QUALITY_DM, BOARD}  # CSV and Excel, shared
    run_tick(engine, runtime.senders, runtime.config, local(2027, 9, 20, 10, 5))
    assert len([m for m in fake_slack.posted() if image_blocks(m)]) == 2 and len(private) == 4


def test_a_file_slack_is_still_processing_is_posted_on_the_retry_without_a_second_upload(
    runtime, fake_slack, engine, answered
):
    fake_slack.image_processing_refusals = 1
    queue_interim_summary(engine, runtime.config)
    first = run_tick(engine, runtime.senders, runtime.config, NOW)
    assert [row.source for row, reason in first.send.deferred if reason == "image_not_ready"] == ["followup"] * 2
    assert not fake_slack.messages_in(QUALITY_DM) and not fake_slack.messages_in(BOARD)

    run_tick(engine, runtime.senders, runtime.config, local(2027, 9, 20, 10, 1))  # after the 30 s backoff
    assert len(fake_slack.calls_to("files.getUploadURLExternal")) == 4 + 4  # 2 charts x 2 messages, then files
    assert len(fake_slack.private_files) == 4
    for channel in (QUALITY_DM, BOARD):
        [message] = fake_slack.messages_in(channel)
        assert {block["slack_file"]["id"] for block in image_blocks(message)} <= set(fake_slack.private_files)


def test_slack_refuses_an_image_block_of_a_file_the_bot_never_uploaded_or_without_alt_text(runtime, fake_slack):
    unknown = {"type": "image", "slack_file": {"id": "F99999999"}, "alt_text": "Ett diagram"}
    with pytest.raises(SlackApiError) as refused:
        runtime.client.chat_postMessage(channel=BOARD, text="x", blocks=[unknown])
    assert refused.value.response["errors"] == ["invalid slack file [json-pointer:/blocks/0/slack_file]"]
    with pytest.raises(SlackApiError) as refused:
        runtime.client.chat_postMessage(channel=BOARD, text="x", blocks=[{"type": "image", "slack_file": {"id": "x"}}])
    assert "missing required field: alt_text [json-pointer:/blocks/0]" in refused.value.response["errors"]
    assert not fake_slack.posted()


def test_the_case_digest_carries_the_chart_of_cases_per_month(runtime, fake_slack, engine):
    register(engine, runtime.config, a_report(category="klagomal"), local(2027, 3, 2, 9, 0))
    run_tick(engine, runtime.senders, runtime.config, local(2027, 7, 15, 9, 0))
    [digest] = [m for m in fake_slack.messages_in(BOARD) if "rapport till direktionen" in m["text"]]
    [block] = image_blocks(digest)
    file = fake_slack.private_files[block["slack_file"]["id"]]
    assert file["name"] == "synpunkter-per-manad-2027.png" and picture_of(file["content"]).size == (800, 400)
    assert "Mars: klagomål 1. April: inga." in block["alt_text"]


def test_a_year_without_cases_gets_its_digest_without_a_chart(engine, example_config):
    with session_scope(engine) as session:
        assert enqueue_case_digest(session, example_config, local(2027, 7, 15, 9, 0)) == 1
        [row] = session.exec(select(Delivery).where(Delivery.source == keys.Source.CASE_DIGEST)).all()
    message = Message.from_json(row.message)
    assert "Inga synpunkter eller klagomål har registrerats 2027." in message.text and message.images == ()


def test_teams_shows_the_chart_in_the_card_in_a_personal_chat_and_a_channel(
    engine, fake_teams, teams_senders, installed
):
    image = trend_image(trend_chart_example(), "trend-nki.png")
    message = Message(heading="Sammanställning", text="Se diagrammet.", images=(image,))
    rows = [
        row
        for recipient in (
            person_recipient(installed.person("kval")),
            channel_recipient(f"teams:{DIREKTION}", "Direktionen"),
        )
        for row in message_rows(
            key=keys.followup_summary("t1-2027", to_board=False),
            recipient=recipient,
            message=message,
            due_at=TEAMS_NOW,
            now=TEAMS_NOW,
            owner="komm",
        )
    ]
    with session_scope(engine) as session:
        outbox.enqueue(session, rows)
    report = Sender(engine, teams_senders, installed).send_due(TEAMS_NOW)
    assert len(report.sent) == 2
    for conversation in (KVAL_CHAT, DIREKTION):
        [activity] = fake_teams.sent(conversation)
        card = activity["attachments"][0]["content"]
        [element] = [element for element in card["body"] if element["type"] == "Image"]
        assert element["altText"] == image.alt_text
        assert picture_of(base64.b64decode(element["url"].removeprefix("data:image/png;base64,"))).size == (800, 400)
        assert_valid_cards([card])
