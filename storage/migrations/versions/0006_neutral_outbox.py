"""neutral outbox: rows hold a platform, a row kind, a neutral message, and what they carry; neutral posted ids

Existing Block Kit rows become neutral messages: their section texts joined as the text (a divider as a line
'---'), their buttons neutral buttons, their attachments the message's files; Slack's channel and ts move to
posted_conversation and posted_id. Each row's kind (and a follow-up ask's department) is read from its key here,
once, as the code did before. Self-contained on purpose: it must not change when the code does.

Revision ID: 0006_neutral_outbox
Revises: 0005_load
"""

import json

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0006_neutral_outbox"
down_revision = "0005_load"
branch_labels = None
depends_on = None

BATCH = 1000


def _message(text: str, blocks_json: str | None, attachments_json: str | None) -> str:
    """The neutral message (messages.message.Message as JSON) a Block Kit row carried."""
    blocks = json.loads(blocks_json) if blocks_json else []
    pieces: list[list[str]] = [[]]
    buttons, buttons_id = [], None
    for block in blocks:
        if block.get("type") == "divider":
            pieces.append([])
        elif block.get("type") == "section" and "text" in block:
            pieces[-1].append(block["text"]["text"])
        elif block.get("type") == "actions":
            buttons_id = buttons_id or block.get("block_id")
            for element in block.get("elements", []):
                button = {"action": element["action_id"], "label": element["text"]["text"], "value": element["value"]}
                if element.get("style"):
                    button["style"] = element["style"]
                buttons.append(button)
    message: dict = {"text": "\n---\n".join("\n\n".join(piece) for piece in pieces) if blocks else text}
    sections = "\n".join(text for piece in pieces for text in piece)
    if blocks and text not in (sections, sections[:2999] + "…"):
        message["summary"] = text  # a notification text of its own (a case's triage message: its first line)
    if buttons:
        message["buttons"], message["buttons_id"] = buttons, buttons_id
    if attachments_json and json.loads(attachments_json):
        message["files"] = json.loads(attachments_json)  # already {"filename", "title", "content_base64"}
    return json.dumps({key: value for key, value in message.items() if value}, ensure_ascii=False)


FOLLOWUP_KINDS = {
    "open": "followup_invitation",
    "reminder": "followup_reminder",
    "final-reminder": "followup_final_reminder",
    "delegated": "followup_handover",
    "escalation": "followup_escalation",
}
CASE_KINDS = {
    "triage": "case_triage",
    "receipt": "case_receipt",
    "answer": "case_answer",
    "reminder-take": "case_reminder",
    "reminder-answer": "case_reminder",
    "escalation-take": "case_escalation",
    "escalation-answer": "case_escalation",
}
REPORT_KINDS = {
    "missed": "missed_report",
    "template": "template_report",
    "attachments": "attachment_report",
    "unqueued": "unqueued_report",
}


def _kind(source: str, key: str, recipient: str) -> tuple[str, str | None]:
    """(kind, department) of a row from its source and key, as bot.delivery.describe read them before."""
    prefix = key.partition(":")[0]
    if source == "plan":
        return "plan", None
    if source == "followup":
        summary = "followup_board_digest" if recipient.startswith("channel:") else "followup_summary"
        kind = FOLLOWUP_KINDS.get(prefix, summary)
        parts = key.split(":")
        if kind == "followup_handover":
            return kind, parts[1]
        asks = ("followup_invitation", "followup_reminder", "followup_final_reminder")
        return kind, parts[-1] if kind in asks else None
    if source == "case":
        return CASE_KINDS.get(prefix, "unknown"), None
    if source == "case-digest":
        return "case_digest", None
    if source in ("failure-report", "missed-report"):
        return REPORT_KINDS.get(prefix, "failure_report"), None
    return ("fallback_report" if source == "fallback-report" else "unknown"), None


def _blocks(message_json: str) -> tuple[str | None, str | None]:
    """(blocks, attachments) as JSON for the previous revision: one section per piece of text, the buttons."""
    message = json.loads(message_json)
    blocks: list[dict] = []
    for piece in message.get("text", "").split("\n---\n"):
        if blocks:
            blocks.append({"type": "divider"})
        if piece.strip():
            blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": piece.strip()[:3000]}})
    if message.get("buttons"):
        elements = [
            {
                "type": "button",
                "action_id": b["action"],
                "text": {"type": "plain_text", "text": b["label"]},
                "value": b["value"],
                **({"style": b["style"]} if b.get("style") else {}),
            }
            for b in message["buttons"]
        ]
        block = {"type": "actions", "elements": elements}
        if message.get("buttons_id"):
            block["block_id"] = message["buttons_id"]
        blocks.append(block)
    files = message.get("files")
    return json.dumps(blocks, ensure_ascii=False), json.dumps(files) if files else None


def _rewrite(select_sql: str, update_sql: str, convert) -> None:
    """Rewrite every row in batches of ids (a large outbox is not loaded at once)."""
    connection = op.get_bind()
    last = 0
    while True:
        rows = connection.execute(sa.text(select_sql), {"last": last, "batch": BATCH}).all()
        if not rows:
            return
        connection.execute(sa.text(update_sql), [convert(row) for row in rows])
        last = rows[-1][0]


def upgrade() -> None:
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.add_column(sa.Column("platform", sa.String(length=20), nullable=False, server_default="slack"))
        batch_op.add_column(sa.Column("row_kind", sa.String(length=20), nullable=False, server_default="post"))
        batch_op.add_column(sa.Column("updates_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("message", sa.Text(), nullable=False, server_default="{}"))
        batch_op.add_column(
            sa.Column("posted_conversation", sqlmodel.sql.sqltypes.AutoString(length=400), nullable=True)
        )
        batch_op.add_column(sa.Column("posted_id", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
        batch_op.add_column(sa.Column("kind", sa.String(length=40), nullable=False, server_default="unknown"))
        batch_op.add_column(sa.Column("about", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True))
    _rewrite(
        "SELECT id, text, blocks, attachments, slack_channel, slack_ts, source, occurrence_key, recipient "
        "FROM delivery WHERE id > :last ORDER BY id LIMIT :batch",
        "UPDATE delivery SET message = :message, posted_conversation = :channel, posted_id = :ts, kind = :kind, "
        "about = :about WHERE id = :id",
        lambda row: {
            "id": row[0],
            "message": _message(row[1], row[2], row[3]),
            "channel": row[4],
            "ts": row[5],
            **dict(zip(("kind", "about"), _kind(row[6], row[7], row[8]), strict=True)),
        },
    )
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.drop_column("attachments")
        batch_op.drop_column("slack_ts")
        batch_op.drop_column("slack_channel")
        batch_op.drop_column("blocks")


def downgrade() -> None:
    op.execute("DELETE FROM delivery WHERE row_kind = 'update'")  # the previous revision updated in place
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.add_column(sa.Column("blocks", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("slack_channel", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column("slack_ts", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True))
        batch_op.add_column(sa.Column("attachments", sa.Text(), nullable=True))
    _rewrite(
        "SELECT id, message, posted_conversation, posted_id FROM delivery WHERE id > :last ORDER BY id LIMIT :batch",
        "UPDATE delivery SET blocks = :blocks, attachments = :attachments, slack_channel = :channel, "
        "slack_ts = :ts WHERE id = :id",
        lambda row: {
            "id": row[0],
            **dict(zip(("blocks", "attachments"), _blocks(row[1]), strict=True)),
            "channel": row[2],
            "ts": row[3],
        },
    )
    with op.batch_alter_table("delivery") as batch_op:
        batch_op.drop_column("about")
        batch_op.drop_column("kind")
        batch_op.drop_column("posted_id")
        batch_op.drop_column("posted_conversation")
        batch_op.drop_column("message")
        batch_op.drop_column("updates_id")
        batch_op.drop_column("row_kind")
        batch_op.drop_column("platform")
