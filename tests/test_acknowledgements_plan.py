"""A plan item with `acknowledge: true`, on Slack and on Teams: each message carries the button for its audience (the
person of a DM, the member municipality of a member's channel, else the channel), the right people acknowledge,
the unacknowledged are reminded once and the item's owner is told once who is missing, and
`kommunikationsplan status` shows delivered / acknowledged / missing per occurrence."""

from bot.config import parse_config
from messages.actions import ACKNOWLEDGE_ACTION
from tests.chat import Chat, Posted, teams_association
from tests.conftest import EXAMPLE, local

ARBOGA, KOPING, DIRECTOR, QUALITY = "kommunchef-arboga", "kommunchef-koping", "forbundschef", "kvalitetschef"
ARBOGA_CHANNEL, LEADERSHIP_CHANNEL = "C0ARBOGA01", "C0LEDNINGS"
SENT = local(2027, 3, 1, 9, 0)  # a Monday
ITEMS = """plan:
  - id: attestrutiner
    title: Nya attestrutiner
    purpose: Kommuncheferna bekräftar att de har tagit del av de nya attestrutinerna.
    audience: {people: [kommunchef-arboga, kommunchef-koping]}
    delivery: dm
    schedule: {rrule: "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", start: 2027-01-01, time: "09:00"}
    owner: forbundschef
    message: Från och med i dag gäller de nya attestrutinerna.
    acknowledge: true
    acknowledge_reminder_working_days: 2
    acknowledge_escalate_working_days: 4
  - id: driftinformation
    title: Driftinformation om e-post
    purpose: Kommunerna och ledningsgruppen bekräftar att de har sett driftinformationen.
    audience: {members: [arboga], forums: [ledningsgrupp]}
    delivery: channel
    schedule: {rrule: "FREQ=YEARLY;BYMONTH=3;BYMONTHDAY=1", start: 2027-01-01, time: "09:00"}
    owner: forbundschef
    message: E-posten byter server i helgen.
    acknowledge: true
    acknowledge_reminder_working_days: 2
"""


def use_items(chat: Chat) -> None:
    """The example association with the two items above, on the chat's platform."""
    text = EXAMPLE.read_text(encoding="utf-8").replace("plan:\n", ITEMS, 1)
    chat.runtime.config = parse_config(teams_association(text) if chat.platform == "teams" else text)


def the(chat: Chat, to: str, text: str) -> Posted:
    [posted] = [message for message in chat.delivered(to) if text in message.text]
    return posted


def test_each_message_carries_the_button_for_its_audience(chat: Chat, clock):
    use_items(chat)
    chat.tick(SENT)
    for to, text in [(ARBOGA, "attestrutiner"), (KOPING, "attestrutiner"), (ARBOGA_CHANNEL, "E-posten"),
                     (LEADERSHIP_CHANNEL, "E-posten")]:  # fmt: skip
        assert ACKNOWLEDGE_ACTION in the(chat, to, text).actions, to

    clock.set(local(2027, 3, 1, 9, 30))
    chat.click(ARBOGA, the(chat, ARBOGA, "attestrutiner"), ACKNOWLEDGE_ACTION)
    assert "Kvitterat av Kommunchef Arboga (exempel)" in the(chat, ARBOGA, "attestrutiner").text
    refused = chat.click(ARBOGA, the(chat, KOPING, "attestrutiner"), ACKNOWLEDGE_ACTION)  # someone else's DM
    assert (
        "du har inte behörighet att kvittera för Kommunchef Köping (exempel); det gör Kommunchef Köping (exempel)."
        in refused.text
    )
    # A forum's channel: any member of the forum, not someone outside it.
    outside = chat.click(QUALITY, the(chat, LEADERSHIP_CHANNEL, "E-posten"), ACKNOWLEDGE_ACTION)
    assert "du har inte behörighet att kvittera för Ledningsgruppen (kommuncheferna)" in outside.text
    chat.click(KOPING, the(chat, LEADERSHIP_CHANNEL, "E-posten"), ACKNOWLEDGE_ACTION)
    assert "Kvitterat av Kommunchef Köping (exempel)" in the(chat, LEADERSHIP_CHANNEL, "E-posten").text
    # A member's channel: its acknowledger.
    chat.click(ARBOGA, the(chat, ARBOGA_CHANNEL, "E-posten"), ACKNOWLEDGE_ACTION)
    assert ACKNOWLEDGE_ACTION not in the(chat, ARBOGA_CHANNEL, "E-posten").actions

    status = chat.command(DIRECTOR, "kommunikationsplan status").text
    assert "Kvittenser" in status
    assert "”Nya attestrutiner” 1 mar: levererade 2, kvitterade 1, saknas 1. Saknas: Kommunchef Köping" in status
    assert "”Driftinformation om e-post” 1 mar: levererade 2, kvitterade 2, saknas 0" in status


def reminders(chat: Chat, to: str) -> list[Posted]:
    return [message for message in chat.delivered(to) if "Påminnelse: kvittera" in message.text]


def test_the_unacknowledged_are_reminded_once_and_the_owner_told_once(chat: Chat, clock):
    use_items(chat)
    chat.tick(SENT)
    clock.set(local(2027, 3, 1, 10, 0))
    chat.click(ARBOGA, the(chat, ARBOGA, "attestrutiner"), ACKNOWLEDGE_ACTION)
    chat.tick(local(2027, 3, 3, 8, 59))
    assert reminders(chat, KOPING) == [] and reminders(chat, LEADERSHIP_CHANNEL) == []
    for minute in (0, 1):
        chat.tick(local(2027, 3, 3, 9, minute))
    [dm] = reminders(chat, KOPING)
    assert "”Nya attestrutiner” skickades måndag 1 mars 2027" in dm.text and ACKNOWLEDGE_ACTION in dm.actions
    [posted] = reminders(chat, LEADERSHIP_CHANNEL)  # a channel is reminded in the channel
    assert "hit till kanalen" in posted.text and ACKNOWLEDGE_ACTION in posted.actions
    [member] = reminders(chat, ARBOGA)  # a member's channel: its acknowledger, by DM
    assert "till Arboga kommun" in member.text
    told = [message for message in chat.delivered(DIRECTOR) if "Kvittenser saknas" in message.text]
    assert told == []  # the channel item has no escalation; the DM item's comes after four working days

    for day in (5, 8):
        chat.tick(local(2027, 3, day, 9, 0))
    [told] = [message for message in chat.delivered(DIRECTOR) if "Kvittenser saknas" in message.text]
    assert "Kvittenser saknas för ”Nya attestrutiner”" in told.text and "Kommunchef Köping (exempel)" in told.text
    assert "Kommunchef Arboga" not in told.text
    assert len(reminders(chat, KOPING)) == 1

    clock.set(local(2027, 3, 8, 10, 0))
    chat.click(KOPING, dm, ACKNOWLEDGE_ACTION)  # from the reminder: the first DM shows it too
    for shown in (the(chat, KOPING, "Från och med i dag"), reminders(chat, KOPING)[0]):
        assert "Kvitterat av Kommunchef Köping (exempel) måndag 8 mars 2027 kl. 10:00." in shown.text
