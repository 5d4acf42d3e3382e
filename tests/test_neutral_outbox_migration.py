"""Migration 0006_neutral_outbox: Block Kit rows become neutral messages, Slack's ids neutral columns (SQLite and
PostgreSQL, whichever the `engine` fixture gives)."""

import json

from alembic import command
from sqlalchemy import text
from sqlmodel import select

from messages.message import Button, ButtonStyle, File, Message
from storage.engine import session_scope
from storage.migrate import _alembic_config, upgrade
from storage.outbox import Delivery
from tests.test_outbox import MONDAY

TRIAGE_BLOCKS = [
    {"type": "section", "text": {"type": "mrkdwn", "text": ":clipboard: *VMKF 2027-0001*\nKlagomål"}},
    {"type": "divider"},
    {"type": "section", "text": {"type": "mrkdwn", "text": "_Historik_"}},
    {
        "type": "actions",
        "block_id": "case:1",
        "elements": [
            {
                "type": "button",
                "action_id": "case_take",
                "text": {"type": "plain_text", "text": "Ta ärendet"},
                "value": "1",
                "style": "primary",
            },
            {
                "type": "button",
                "action_id": "case_close",
                "text": {"type": "plain_text", "text": "Stäng"},
                "value": "1",
            },
        ],
    },
]
TRIAGE_TEXT = ":clipboard: *VMKF 2027-0001*"
FILES = [{"filename": "svar.csv", "title": "Alla svar", "content_base64": "YTtiCg=="}]


def _old_row(id_: int, key: str, text_: str, blocks: list, **extra: str | None) -> dict:
    return {
        "id": id_,
        "source": "case",
        "item_id": "1",
        "occurrence_key": key,
        "recipient": "channel:C0VMKFITTR",
        "part": 0,
        "due_at": MONDAY,
        "address": "C0VMKFITTR",
        "text": text_,
        "blocks": json.dumps(blocks),
        "status": "sent",
        "attempts": 1,
        "next_attempt_at": MONDAY,
        "created_at": MONDAY,
        "check_before_post": False,
        "slack_channel": extra.get("slack_channel"),
        "slack_ts": extra.get("slack_ts"),
        "attachments": extra.get("attachments"),
    }


def test_block_kit_rows_become_neutral_messages_and_go_back_again(engine):
    upgrade(engine)
    config = _alembic_config(engine)
    command.downgrade(config, "0005_load")
    rows = [
        _old_row(
            1, "triage", ":clipboard: *VMKF 2027-0001*", TRIAGE_BLOCKS, slack_channel="C0VMKFITTR", slack_ts="1.2"
        ),
        _old_row(
            2,
            "summary",
            "Sammanställning",
            [{"type": "section", "text": {"type": "mrkdwn", "text": "Sammanställning"}}],
            attachments=json.dumps(FILES),
        ),
        {**_old_row(3, "reminder:5:it", "Påminnelse", []), "source": "followup", "recipient": "person:it-chef"},
    ]
    columns = ", ".join(rows[0])
    with engine.begin() as connection:
        connection.execute(
            text(f"INSERT INTO delivery ({columns}) VALUES ({', '.join(':' + name for name in rows[0])})"), rows
        )
    upgrade(engine)
    with session_scope(engine) as session:
        triage, summary, reminder = session.exec(select(Delivery).order_by(Delivery.id)).all()
    assert [(row.kind, row.about) for row in (triage, summary, reminder)] == [
        ("case_triage", None),
        ("unknown", None),  # a 'summary' key of the case source: no such message
        ("followup_reminder", "it"),
    ]
    assert Message.from_json(reminder.message) == Message(text="Påminnelse")
    assert (triage.platform, triage.row_kind, triage.posted_conversation, triage.posted_id) == (
        "slack",
        "post",
        "C0VMKFITTR",
        "1.2",
    )
    assert Message.from_json(triage.message) == Message(
        text=":clipboard: *VMKF 2027-0001*\nKlagomål\n---\n_Historik_",
        summary=":clipboard: *VMKF 2027-0001*",
        buttons=(
            Button("case_take", "Ta ärendet", "1", ButtonStyle.PRIMARY),
            Button("case_close", "Stäng", "1"),
        ),
        buttons_id="case:1",
    )
    assert Message.from_json(summary.message) == Message(
        text="Sammanställning", files=(File("svar.csv", "Alla svar", b"a;b\n"),)
    )

    command.downgrade(config, "0005_load")
    with engine.connect() as connection:
        back = connection.execute(text("SELECT blocks, attachments, slack_ts FROM delivery ORDER BY id")).all()[:2]
    blocks = json.loads(back[0][0])
    assert [block["type"] for block in blocks] == ["section", "divider", "section", "actions"]
    assert blocks[-1] == TRIAGE_BLOCKS[-1] and back[0][2] == "1.2"
    assert json.loads(back[1][1]) == FILES
    upgrade(engine)
