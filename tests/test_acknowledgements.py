"""Acknowledgements of the board's digests on Slack and on Teams, the same scenario and assertions: a member's digest
carries the button, its acknowledger clicks it once (the post changes in place to "Kvitterat av ..."), a second
click or a replay changes nothing and says who acknowledged it, anyone else is refused in Swedish; a digest not
acknowledged is reminded once and escalated to the director once, at the working days of the board's follow-up;
`direktion kvittenser` shows the figures.

The digests themselves are built by the board's decisions (in parallel work): these tests queue digest rows as that
work does, with the key of bot.delivery.keys.board_digest."""

import copy
import json
import logging

from sqlalchemy import func, select

from bot.acknowledgements.subjects import board_digest_subject, member_audience
from bot.clock import FixedClock
from bot.delivery import keys
from bot.delivery.outbox_rows import message_rows
from bot.demo import payloads
from bot.people import channel_recipient
from messages.actions import ACKNOWLEDGE_ACTION, ACKNOWLEDGE_BUTTONS_ID, acknowledge_button
from messages.message import Message
from storage import outbox
from storage.acknowledgements import Acknowledgement
from storage.engine import session_scope
from tests.chat import Chat, Posted
from tests.conftest import local

MEETING = "direktion-2027-02"  # 18 February 2027
SENT = local(2027, 2, 19, 10, 0)  # a Friday
ARBOGA, KOPING = "kommunchef-arboga", "kommunchef-koping"
ARBOGA_CHANNEL, KOPING_CHANNEL = "C0ARBOGA01", "C0KOPING01"
DIRECTOR, SECRETARY = "forbundschef", "sekreterare"
DIGEST_TEXT = "Direktionens beslut 18 februari 2027"


def send_digests(chat: Chat, *members: str, meeting: str = MEETING, at=SENT) -> None:
    """The member municipalities' digests of `meeting`, queued as the board's decisions queue them, and sent."""
    rows = []
    for member_id in members:
        member = chat.config.member(member_id)
        audience = member_audience(member_id)
        button = acknowledge_button(board_digest_subject(meeting), audience)
        rows += message_rows(
            key=keys.board_digest(meeting, audience),
            recipient=channel_recipient(member.channel, member.name),
            message=Message(f"{DIGEST_TEXT} för {member.name}", buttons=(button,), buttons_id=ACKNOWLEDGE_BUTTONS_ID),
            due_at=at,
            now=at,
            owner=None,
        )
    with session_scope(chat.engine) as session:
        outbox.enqueue(session, rows)
    chat.tick(at)


def digest(chat: Chat, channel: str) -> Posted:
    [post] = [message for message in chat.delivered(channel) if DIGEST_TEXT in message.text]
    return post


def acknowledgements(chat: Chat) -> list[tuple[str, str, str]]:
    with session_scope(chat.engine) as session:
        found = session.scalars(select(Acknowledgement).order_by(Acknowledgement.id))
        return [(ack.subject, ack.audience, ack.person_id) for ack in found]


def outbox_rows(chat: Chat) -> int:
    with session_scope(chat.engine) as session:
        return session.scalar(select(func.count()).select_from(outbox.Delivery)) or 0


def test_the_acknowledger_acknowledges_once_and_the_post_changes_in_place(chat: Chat, clock: FixedClock):
    send_digests(chat, "arboga")
    post, posts = digest(chat, ARBOGA_CHANNEL), len(chat.delivered(ARBOGA_CHANNEL))
    stale = Posted(post.text, post.actions, copy.deepcopy(post.raw))  # as a client that has not updated shows it
    assert ACKNOWLEDGE_ACTION in post.actions and "Kvitterat av" not in post.text
    clock.set(local(2027, 2, 19, 11, 15))
    first = chat.click(ARBOGA, post, ACKNOWLEDGE_ACTION)
    assert "redan" not in first.text.casefold()
    assert acknowledgements(chat) == [(board_digest_subject(MEETING), member_audience("arboga"), ARBOGA)]
    after = digest(chat, ARBOGA_CHANNEL)
    assert "Kvitterat av Kommunchef Arboga (exempel) fredag 19 februari 2027 kl. 11:15." in after.text
    assert ACKNOWLEDGE_ACTION not in after.actions and DIGEST_TEXT in after.text
    assert len(chat.delivered(ARBOGA_CHANNEL)) == posts  # the same post, updated; nothing new in the channel

    rows = outbox_rows(chat)
    clock.set(local(2027, 2, 19, 12, 0))
    again = chat.click(ARBOGA, stale, ACKNOWLEDGE_ACTION)  # a double-click, or a client showing the old post
    assert "Redan kvitterat av Kommunchef Arboga (exempel) fredag 19 februari 2027 kl. 11:15." in again.text
    by_another = chat.click(DIRECTOR, stale, ACKNOWLEDGE_ACTION)
    assert "Redan kvitterat av Kommunchef Arboga (exempel)" in by_another.text
    assert len(acknowledgements(chat)) == 1 and outbox_rows(chat) == rows
    assert digest(chat, ARBOGA_CHANNEL).text == after.text


def test_anyone_but_the_acknowledger_is_refused_and_nothing_changes(chat: Chat, clock: FixedClock):
    send_digests(chat, "koping")
    post = digest(chat, KOPING_CHANNEL)
    clock.set(local(2027, 2, 19, 11, 0))
    for person in (DIRECTOR, ARBOGA):  # the director may not acknowledge for a member either
        refused = chat.click(person, post, ACKNOWLEDGE_ACTION)
        assert "du har inte behörighet att kvittera för Köpings kommun; det gör Kommunchef Köping (exempel)." in (
            refused.text
        )
    stranger = chat.click("okand", post, ACKNOWLEDGE_ACTION)
    assert "Jag hittar dig inte bland förbundets personer." in stranger.text
    assert acknowledgements(chat) == []
    assert ACKNOWLEDGE_ACTION in digest(chat, KOPING_CHANNEL).actions


def test_a_named_contact_acknowledges_instead_of_the_chief(chat: Chat, clock: FixedClock):
    chat.runtime.config = chat.config.model_copy(
        update={"members": [m.model_copy(update={"contact": SECRETARY}) for m in chat.config.members]}
    )
    send_digests(chat, "arboga")
    post = digest(chat, ARBOGA_CHANNEL)
    assert "; det gör Direktionens sekreterare (exempel)." in chat.click(ARBOGA, post, ACKNOWLEDGE_ACTION).text
    chat.click(SECRETARY, post, ACKNOWLEDGE_ACTION)
    assert [person for _, _, person in acknowledgements(chat)] == [SECRETARY]


def with_value(posted: Posted, value: str) -> Posted:
    """The post with its acknowledge button's value replaced (a forged or damaged request)."""
    raw = copy.deepcopy(posted.raw)

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, dict):
            if node.get("action_id") == ACKNOWLEDGE_ACTION:
                node["value"] = value
            if node.get("verb") == ACKNOWLEDGE_ACTION and isinstance(node.get("data"), dict):
                node["data"]["value"] = value
            for child in node.values():
                walk(child)

    walk(raw)
    return Posted(posted.text, posted.actions, raw)


def test_a_malformed_value_is_logged_and_answered_and_changes_nothing(chat: Chat, caplog):
    send_digests(chat, "arboga")
    post = digest(chat, ARBOGA_CHANNEL)
    other_meeting = acknowledge_button(board_digest_subject("direktion-2027-04"), member_audience("arboga")).value
    bad_values = ["not json", '{"subject": 1}', '{"subject": "x:y", "audience": "member:arboga"}', other_meeting]
    for value in bad_values:
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            answer = chat.click(ARBOGA, with_value(post, value), ACKNOWLEDGE_ACTION)
        assert "Samverkan kunde inte läsa din begäran" in answer.text, value
        assert any("malformed" in record.getMessage() for record in caplog.records), value
    assert acknowledgements(chat) == []


def reminders_to(chat: Chat, person: str) -> list[Posted]:
    return [message for message in chat.delivered(person) if "Påminnelse: kvittera direktionens beslut" in message.text]


def escalations_to(chat: Chat, person: str) -> list[Posted]:
    return [message for message in chat.delivered(person) if "Kvittenser saknas" in message.text]


def test_a_missing_acknowledgement_is_reminded_once_then_escalated_once(chat: Chat, clock: FixedClock):
    send_digests(chat, "arboga", "koping")
    clock.set(local(2027, 2, 22, 9, 0))
    chat.click(KOPING, digest(chat, KOPING_CHANNEL), ACKNOWLEDGE_ACTION)
    chat.tick(local(2027, 2, 24, 9, 59))  # three working days after Friday 10:00 is Wednesday 10:00
    assert reminders_to(chat, ARBOGA) == []
    for minute in (0, 30):
        chat.tick(local(2027, 2, 24, 10, minute))
    [reminder] = reminders_to(chat, ARBOGA)
    assert "Arboga kommun" in reminder.text and "direktionsmöte torsdag 18 februari 2027" in reminder.text
    assert ACKNOWLEDGE_ACTION in reminder.actions
    assert reminders_to(chat, KOPING) == [] and escalations_to(chat, DIRECTOR) == []

    chat.tick(local(2027, 2, 26, 9, 59))
    assert escalations_to(chat, DIRECTOR) == []
    for hour in (10, 11):
        chat.tick(local(2027, 2, 26, hour, 0))
    [escalation] = escalations_to(chat, DIRECTOR)
    assert "Arboga kommun (kvitteras av Kommunchef Arboga (exempel))" in escalation.text
    assert "Köping" not in escalation.text

    clock.set(local(2027, 3, 1, 8, 0))
    chat.click(ARBOGA, reminder, ACKNOWLEDGE_ACTION)  # from the reminder: the digest and the reminder both show it
    for shown in (reminders_to(chat, ARBOGA)[0], digest(chat, ARBOGA_CHANNEL)):
        assert "Kvitterat av Kommunchef Arboga (exempel) måndag 1 mars 2027 kl. 08:00." in shown.text
        assert ACKNOWLEDGE_ACTION not in shown.actions
    chat.tick(local(2027, 3, 10, 10, 0))
    assert len(reminders_to(chat, ARBOGA)) == 1 and len(escalations_to(chat, DIRECTOR)) == 1


def test_kvittenser_shows_the_meeting_and_the_year_so_far(chat: Chat, clock: FixedClock):
    send_digests(chat, "arboga", "koping", "kungsor")
    clock.set(local(2027, 2, 19, 11, 15))
    chat.click(ARBOGA, digest(chat, ARBOGA_CHANNEL), ACKNOWLEDGE_ACTION)
    send_digests(chat, "arboga", meeting="direktion-2027-04", at=local(2027, 4, 23, 10, 0))
    clock.set(local(2027, 4, 26, 9, 0))

    latest = chat.command(DIRECTOR, "direktion kvittenser").text
    assert "Kvittenser – Direktionsmöte 22 apr" in latest
    assert "Levererade 1, kvitterade 0, saknas 1" in latest
    assert "Arboga kommun – levererad 23 apr, inte kvitterad" in latest
    assert "Året hittills (2027)" in latest
    assert "Direktionsmöte 18 feb: levererade 3, kvitterade 1, saknas 2" in latest
    assert "Arboga kommun: levererade 2, kvitterade 1, saknas 1" in latest
    assert "Köpings kommun: levererade 1, kvitterade 0, saknas 1" in latest

    february = chat.command(SECRETARY, f"direktion kvittenser {MEETING}").text
    assert "Kvittenser – Direktionsmöte 18 feb" in february
    assert "Arboga kommun – kvitterat av Kommunchef Arboga (exempel) 19 feb kl. 11:15" in february
    assert "Köpings kommun – levererad 19 feb, inte kvitterad" in february
    assert "22 apr" not in february  # the year up to that meeting

    unknown = chat.command(DIRECTOR, "direktion kvittenser direktion-1999").text
    assert "Inga sammanfattningar har skickats till medlemskommunerna för mötet ”direktion-1999”." in unknown
    refused = chat.command(ARBOGA, "direktion kvittenser").text
    assert "Tyvärr, du har inte behörighet att se kvittenserna av direktionens sammanfattningar" in refused


def test_kvittenser_before_any_digest(chat: Chat):
    assert (
        "Inga sammanfattningar av direktionens beslut har skickats"
        in chat.command(DIRECTOR, "direktion kvittenser").text
    )


def test_a_click_in_the_slack_home_tab_acknowledges_and_publishes_the_tab_again(chat: Chat):
    """The Home tab lists the digest to acknowledge with its button; a click there has no message and no
    response_url to answer under, so the tab is published again at once, without the task."""
    if chat.platform != "slack":
        return  # Teams has no pushed view: its personal view is a card answered like any other (tested above)
    send_digests(chat, "arboga")
    assert "Du har 1 sak att göra" in chat.home(ARBOGA) and "Att kvittera" in chat.home(ARBOGA)
    value = digest(chat, ARBOGA_CHANNEL).raw["blocks"][-1]["elements"][0]["value"]
    publishes = len(chat.fake.calls_to("views.publish"))
    payload = payloads.block_action(chat.user(ARBOGA), ACKNOWLEDGE_ACTION, value, "", "", "")
    del payload["response_url"], payload["channel"]
    payload["actions"][0]["block_id"] = ACKNOWLEDGE_BUTTONS_ID
    payload["container"] = {"type": "view", "view_id": "V0HOME"}
    payload["view"] = {"id": "V0HOME", "type": "home", "callback_id": ""}
    assert chat.slack.interaction(payload).status == 200
    chat.slack.idle()
    with session_scope(chat.engine) as session:
        assert session.scalar(select(func.count()).select_from(Acknowledgement)) == 1
    [*_, published] = chat.fake.calls_to("views.publish")[publishes:]
    shown = json.dumps(published.params, ensure_ascii=False)
    assert "Att kvittera" not in shown and "Du har 1 sak" not in shown
    assert "Kvitterat av" in digest(chat, ARBOGA_CHANNEL).text
