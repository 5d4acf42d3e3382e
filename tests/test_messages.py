"""What users read: mrkdwn escaping of every configured value, and splitting at Slack's block and text limits."""

import json
import re
from datetime import timedelta

from sqlmodel import select

from bot.config import parse_config
from bot.config.model import MESSAGE_NAMES
from bot.tick import run_tick
from messages.chunks import chunk_text
from messages.message import Message
from messages.mrkdwn import Mrkdwn, escape, link, user_mention
from messages.render import render_string
from messages.slack.blocks import text_blocks
from messages.slack.limits import FALLBACK_TEXT_LIMIT, MESSAGE_BLOCK_LIMIT, SECTION_LIMIT, paginate
from messages.slack.message import render, split
from messages.slack.replies import ephemeral
from messages.swedish import plural
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.command_support import command_answer
from tests.conftest import local
from tests.plan_support import dm_item, one_person_association

HOSTILE = """
association: {id: test, name: "Förbundet <!here>", short_name: "F&F"}
people:
  - {id: chef, name: "Chef & <@U0VMKF0002>", slack_id: U0VMKF0001}
roles: {director: chef, quality_manager: chef}
members: []
departments: []
forums:
  - {id: direktion, name: "Direktionen <!channel> & co", kind: board, channel: C0DIREKTIO, members: [chef]}
events:
  - {id: mote, kind: board_meeting, title: "<https://evil.example|Klicka här> & <!everyone>", date: 2027-02-18}
plan:
  - id: kallelse
    title: "Budget & mål <!channel>"
    purpose: Kallelse.
    audience: {forums: [direktion]}
    delivery: channel
    schedule: {relative_to: board_meeting, offset_working_days: -5, time: "09:00"}
    owner: chef
    message: |
      Möte: {{ event.title }} i {{ association.name }}.
      Läs mer på <https://intranat.example|intranätet>.
"""
AT = local(2027, 2, 11, 9, 0)


def posted_text(message: dict) -> str:
    blocks = message["blocks"] if isinstance(message["blocks"], list) else json.loads(message["blocks"])
    return "\n".join([message["text"], *(block["text"]["text"] for block in blocks if block["type"] == "section")])


def test_configured_values_are_escaped_in_what_is_posted(runtime, fake_slack):
    config = parse_config(HOSTILE)
    run_tick(runtime.engine, runtime.senders, config, AT)
    [message] = fake_slack.posted()
    text = posted_text(message)

    assert "*Budget &amp; mål &lt;!channel&gt;*" in text
    assert "Möte: &lt;https://evil.example|Klicka här&gt; &amp; &lt;!everyone&gt; i Förbundet &lt;!here&gt;." in text
    assert "_F&amp;F kommunikationsplan · Ansvarig: Chef &amp; &lt;@U0VMKF0002&gt;_" in text
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<@U0VMKF0002>", "<https://evil"):
        assert ping not in text
    # the operator's own mrkdwn in the message template stays a link
    assert "Läs mer på <https://intranat.example|intranätet>." in text


def test_configured_values_are_escaped_in_the_overview(slack, fake_slack, runtime, clock):
    runtime.config = parse_config(HOSTILE)
    clock.set(AT - timedelta(days=1))
    body = command_answer(slack, fake_slack, "/kommunikationsplan")
    text = "\n".join(block["text"]["text"] for block in body["blocks"] if block["type"] == "section")
    assert "Budget &amp; mål &lt;!channel&gt;" in text
    assert "Inlägg i: Direktionen &lt;!channel&gt; &amp; co" in text
    assert "Ansvarig: Chef &amp; &lt;@U0VMKF0002&gt;" in text
    assert "<!channel>" not in text and "<!channel>" not in body["text"]


def test_what_a_user_types_is_escaped_in_the_help(slack):
    body = slack.command("/kommunikationsplan", text="<!channel> & <@U0VMKF0002>").json()
    assert body["text"].startswith('Jag förstår inte "&lt;!channel&gt; &amp; &lt;@U0VMKF0002&gt;".')


def test_escape_and_the_mrkdwn_helpers():
    assert escape("a & b < c > d") == "a &amp; b &lt; c &gt; d"
    assert escape(None) == ""
    assert escape(Mrkdwn("<@U1>")) == "<@U1>"
    assert user_mention("U0VMKF0001") == "<@U0VMKF0001>"
    assert link("https://x.example/?a=1&b=2", "A|B <c>") == "<https://x.example/?a=1&amp;b=2|A¦B &lt;c&gt;>"
    assert render_string("{{ v }} {{ v | anvandare }}", v="U0VMKF0001") == "U0VMKF0001 <@U0VMKF0001>"


# Splitting ---------------------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


def test_short_text_is_one_section():
    assert chunk_text("Hej!\n\nHur går det?", SECTION_LIMIT) == ["Hej!\n\nHur går det?"]
    assert text_blocks("Hej") == [{"type": "section", "text": {"type": "mrkdwn", "text": "Hej"}}]


def test_paragraphs_are_packed_into_sections_of_at_most_3000_characters():
    paragraphs = [f"Stycke {n} " + "ord " * 200 for n in range(30)]  # about 800 characters each
    text = "\n\n".join(paragraph.strip() for paragraph in paragraphs)
    chunks = chunk_text(text, SECTION_LIMIT)
    assert all(len(chunk) <= SECTION_LIMIT for chunk in chunks)
    assert len(chunks) == 10  # three paragraphs fit in a section, four do not
    assert all(chunk.startswith("Stycke") for chunk in chunks)  # cut between paragraphs
    assert words(" ".join(chunks)) == words(text)


def test_one_long_line_is_cut_between_words():
    text = " ".join(f"ord{n}" for n in range(2000))  # 14,889 characters, no newline
    chunks = chunk_text(text, SECTION_LIMIT)
    assert all(2800 < len(chunk) <= SECTION_LIMIT for chunk in chunks) and len(chunks) == 5
    assert words(" ".join(chunks)) == words(text)


def test_a_word_longer_than_a_section_is_cut_hard():
    text = "x" * 7000
    assert [len(chunk) for chunk in chunk_text(text, SECTION_LIMIT)] == [3000, 3000, 1000]


def test_a_dashed_line_becomes_a_divider():
    blocks = text_blocks("Först\n---\nSedan")
    assert [block["type"] for block in blocks] == ["section", "divider", "section"]


def test_blocks_are_paginated_at_50_per_message():
    blocks = [{"type": "divider"}] * 120
    assert [len(page) for page in paginate(blocks)] == [50, 50, 20]
    assert paginate([]) == [[]]


def test_a_long_text_becomes_several_messages_within_every_limit():
    text = "\n\n".join(f"Stycke {n}: " + "ord " * 700 for n in range(130))  # 130 sections of ~2,800 characters
    parts = [(rendered.text, rendered.blocks) for rendered in map(render, split(Message(text=text)))]
    assert [len(blocks) for _, blocks in parts] == [50, 50, 30]
    for fallback, blocks in parts:
        assert len(fallback) <= FALLBACK_TEXT_LIMIT
        assert all(len(block["text"]["text"]) <= SECTION_LIMIT for block in blocks)
    sections = [block["text"]["text"] for _, blocks in parts for block in blocks]
    assert words(" ".join(sections)) == words(text)


def test_an_ephemeral_reply_is_cut_at_50_blocks_with_a_note():
    text = "\n---\n".join(f"Avsnitt {n}" for n in range(40))  # 40 sections and 39 dividers
    reply = ephemeral(text)
    assert len(reply["blocks"]) == MESSAGE_BLOCK_LIMIT
    assert reply["blocks"][-1]["text"]["text"] == "_… och 30 avsnitt till som inte ryms här._"
    assert reply["response_type"] == "ephemeral"


LONG = (
    one_person_association(
        more="forums: [{id: direktion, name: Direktionen, kind: board, channel: C0DIREKTIO, members: [chef]}]\n"
    )
    + """\
  - id: arsrapport
    title: Årsrapporten
    purpose: Hela årsrapporten i kanalen.
    audience: {forums: [direktion]}
    delivery: channel
    schedule: {rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=1", start: 2027-01-01, time: "09:00"}
    owner: chef
    message: |
      {% for n in range(120) %}
      Avsnitt {{ n }}: {{ "mål och indikatorer " * 120 }}

      {% endfor %}
"""
)


def test_a_long_plan_message_is_posted_in_parts_in_order(runtime, fake_slack):
    config = parse_config(LONG)
    run_tick(runtime.engine, runtime.senders, config, local(2027, 2, 1, 9, 0))

    messages = fake_slack.posted()
    assert [len(message["blocks"]) for message in messages] == [50, 50, 20]  # 120 sections of ~2,400 characters
    assert all(0 < len(message["blocks"]) <= MESSAGE_BLOCK_LIMIT for message in messages)
    sections = [block["text"]["text"] for message in messages for block in message["blocks"]]
    assert all(len(section) <= SECTION_LIMIT for section in sections)
    joined = "\n".join(sections)
    assert [int(n) for n in re.findall(r"Avsnitt (\d+):", joined)] == list(range(120))
    assert joined.count("mål och indikatorer") == 120 * 120
    assert joined.startswith("*Årsrapporten*") and joined.endswith("_TF kommunikationsplan · Ansvarig: Chefen_")
    with session_scope(runtime.engine) as session:
        rows = session.exec(select(Delivery).order_by(Delivery.part)).all()
    assert [(row.part, row.status) for row in rows] == [(0, "sent"), (1, "sent"), (2, "sent")]
    assert [message["ts"] for message in messages] == [row.posted_id for row in rows]


def test_every_name_a_message_template_may_use_is_given_a_value(runtime, fake_slack):
    uses = {
        "association": "{{ association.short_name }}",
        "item": "{{ item.id }}",
        "at": "{{ at | tid }}",
        "event": "{{ event.title }}",
        "chair": "{{ chair.name }}",
        "recipient": "{{ recipient.label }}",
        "owner": "{{ owner.name }}",
    }
    assert set(uses) == set(MESSAGE_NAMES)
    config = parse_config(
        HOSTILE.replace("Möte: {{ event.title }} i {{ association.name }}.", " / ".join(uses.values()))
        .replace("members: []", "members: [{id: arboga, name: Arboga kommun, chief: chef}]")
        .replace(
            "departments: []", "departments: []\nchair_rotation: [{member: arboga, start: 2027-01-01, end: 2028-12-31}]"
        )
    )
    run_tick(runtime.engine, runtime.senders, config, AT)
    [message] = fake_slack.posted()
    assert "F&amp;F / kallelse / 09:00 / &lt;https://evil.example|Klicka här&gt;" in message["text"]
    assert "/ Arboga kommun / Direktionen &lt;!channel&gt; &amp; co / Chef &amp;" in message["text"]


def _mondays_at(clock: str) -> str:
    return f'{{rrule: "FREQ=WEEKLY;BYDAY=MO", start: 2027-01-04, time: "{clock}"}}'


WEEKLY = (
    one_person_association(settings="settings: {grace_period_hours: 1}\n")
    + dm_item("nio", _mondays_at("09:00"), title="Klockan nio", purpose="Test.", message="God morgon!")
    + dm_item("halv-tio", _mondays_at("09:30"), title="Halv tio", purpose="Test.", message="Hej!")
)


def test_a_plan_message_queued_late_says_when_it_was_meant_to_arrive(runtime, fake_slack):
    config = parse_config(WEEKLY.replace("grace_period_hours: 1", "grace_period_hours: 24"))
    run_tick(runtime.engine, runtime.senders, config, local(2027, 2, 1, 8, 0))
    run_tick(runtime.engine, runtime.senders, config, local(2027, 2, 1, 9, 45))  # down since 8:00
    late, on_time = (message["text"] for message in fake_slack.posted())
    assert "*Klockan nio*\n_Skickas i efterhand – det här skulle ha kommit måndag 1 februari 2027 kl. 09:00._" in late
    assert "efterhand" not in on_time  # 15 minutes is a tick or two, not late


def test_a_grace_period_of_one_hour_is_written_in_the_singular(runtime, fake_slack):
    config = parse_config(WEEKLY)
    run_tick(runtime.engine, runtime.senders, config, local(2027, 2, 1, 8, 0))
    run_tick(runtime.engine, runtime.senders, config, local(2027, 2, 1, 11, 0))
    [report] = [m["text"] for m in fake_slack.posted() if "Missade utskick: Klockan nio" in m["text"]]
    assert "äldre än karenstiden (1 timme)" in report


def test_plural_and_channel_helpers():
    assert (plural(1, "meddelande", "meddelanden"), plural(2, "meddelande", "meddelanden")) == (
        "1 meddelande",
        "2 meddelanden",
    )
    assert plural(1.5, "arbetsdag", "arbetsdagar", "1,5") == "1,5 arbetsdagar"
    assert render_string("{{ c | kanal }} {{ d | kanal }}", c="#it-synpunkter", d="C0VMKFITTR") == (
        "#it-synpunkter <#C0VMKFITTR>"
    )


def test_the_overview_leaves_a_channel_it_cannot_name_to_slack(slack, fake_slack, clock):
    clock.set(local(2027, 1, 20, 8, 0))
    body = command_answer(slack, fake_slack, "/kommunikationsplan")
    text = "\n".join(block["text"]["text"] for block in body["blocks"] if block["type"] == "section")
    assert "Inlägg i: Förbundets ledningsgrupp, <#C0VMKFALLA>\n" in text
    assert "C0VMKFALLA" not in text.replace("<#C0VMKFALLA>", "")
