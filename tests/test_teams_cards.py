"""Neutral messages as Adaptive Cards 1.5 and activities for Teams, checked by the Adaptive Cards library, within
Teams' 28 KB a message."""

import json
import sqlite3
from pathlib import Path

import pytest
from microsoft_agents.activity import Activity

from bot.cli import main
from messages.actions import triage_buttons, triage_buttons_id
from messages.message import Button, ButtonStyle, Fact, File, Message
from messages.splitting import split as split_for
from messages.teams.card import card_attachment, message_activity, message_card
from messages.teams.limits import ACTIVITY_LIMIT, TEAMS_LIMIT, activities, activity_bytes, split
from tests.adaptive_cards import assert_valid_cards, check_cards

BUTTON = Button("case_take", "Ta ärendet", "12", ButtonStyle.PRIMARY)
SHAPES = {
    "text": Message(text="Hej"),
    "everything": Message(
        text="*Rubrik* med <https://example.org|länk>\n\nAndra stycket\nrad två\n---\n_efter linjen_ &amp; mer",
        heading="Ärende 2027-12",
        facts=(Fact("Status", "*Ny*"), Fact("Avdelning", "IT &amp; digitalisering")),
        items=("ett", "två med <https://example.org|länk>"),
        buttons=triage_buttons(12, closed=False, new=True, confidential=True),
        buttons_id=triage_buttons_id(12),
        files=(File("svar.csv", "Svar (CSV)", b"a;b\n"), File("svar.xlsx", "Svar (Excel)", b"x")),
        summary="Nytt ärende <@U1|Anna>",
    ),
    "heading only": Message(heading="Bara rubrik"),
    "items only": Message(items=("a", "b")),
    "facts only": Message(facts=(Fact("a", "b"),)),
    "buttons only": Message(buttons=(BUTTON,)),
    "buttons without id": Message(text="x", buttons=(BUTTON, Button("case_close", "Stäng", "12", ButtonStyle.DANGER))),
    "divider first and last": Message(text="---\nmitt\n---\n"),
    "dividers only": Message(text="a\n---\n\n---\nb"),
    "empty": Message(),
}


def test_every_message_shape_is_a_card_the_library_accepts() -> None:
    assert_valid_cards([message_card(message) for message in SHAPES.values()])


def test_a_message_card_has_heading_text_facts_items_files_and_buttons_in_order() -> None:
    card = message_card(SHAPES["everything"])
    assert (card["type"], card["version"], card["$schema"]) == (
        "AdaptiveCard",
        "1.5",
        "http://adaptivecards.io/schemas/adaptive-card.json",
    )
    body = card["body"]
    assert [element["type"] for element in body] == [
        *["TextBlock"] * 4,
        "FactSet",
        "TextBlock",
        "TextBlock",
        "ActionSet",
        "ActionSet",
    ]
    heading, first, second, after, facts, items, files, buttons, more_buttons = body
    assert heading == {
        "type": "TextBlock",
        "text": "Ärende 2027-12",
        "wrap": True,
        "size": "Large",
        "weight": "Bolder",
        "style": "heading",
    }
    assert first["text"] == "**Rubrik** med [länk](https://example.org)" and "separator" not in first
    assert second["text"] == "Andra stycket\n\nrad två"
    assert after == {"type": "TextBlock", "text": "_efter linjen_ & mer", "wrap": True, "separator": True}
    assert facts["facts"] == [
        {"title": "Status", "value": "**Ny**"},
        {"title": "Avdelning", "value": "IT & digitalisering"},
    ]
    assert items["text"] == "- ett\n- två med [länk](https://example.org)"
    assert "OneDrive" in files["text"] and "- svar.csv\n- svar.xlsx" in files["text"]
    assert buttons["id"] == "case:12" and more_buttons["id"] == "case:12/2"
    take = buttons["actions"][0]
    assert take == {
        "type": "Action.Execute",
        "title": "Ta ärendet",
        "verb": "case_take",
        "data": {"verb": "case_take", "value": "12"},
        "style": "positive",
        "fallback": {
            "type": "Action.Submit",
            "title": "Ta ärendet",
            "data": {"verb": "case_take", "value": "12"},
            "style": "positive",
        },
    }
    all_buttons = buttons["actions"] + more_buttons["actions"]
    assert [(b["data"]["verb"], b["data"]["value"]) for b in all_buttons] == [
        (b.action, b.value) for b in SHAPES["everything"].buttons
    ]
    # a button that opens a form opens it in a dialog: an Action.Submit that asks Teams for task/fetch
    answer = next(b for b in all_buttons if b["data"]["verb"] == "case_answer")
    assert answer == {
        "type": "Action.Submit",
        "title": "Svara",
        "data": {"verb": "case_answer", "value": "12", "msteams": {"type": "task/fetch"}},
    }
    dialogs = [b["data"]["verb"] for b in all_buttons if b["type"] == "Action.Submit"]
    assert dialogs == ["case_assign", "case_answer", "case_close"]
    close = message_card(SHAPES["buttons without id"])["body"][-1]
    assert "id" not in close and close["actions"][1]["style"] == "destructive"


def test_the_activity_carries_the_card_and_a_plain_summary() -> None:
    activity = message_activity(SHAPES["everything"])
    assert activity == {
        "type": "message",
        "summary": "Nytt ärende Anna",
        "textFormat": "markdown",
        "attachments": [card_attachment(message_card(SHAPES["everything"]))],
    }
    assert activity["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    sdk = Activity.model_validate(activity)  # what the sender hands to the Agents SDK, read as the SDK reads it
    assert sdk.model_dump(mode="json", by_alias=True, exclude_none=True) == activity
    assert message_activity(Message(text="*Påminnelse:* svara <https://x.org|här>\n---\nmer"))["summary"] == (
        "Påminnelse: svara här mer"
    )
    assert message_activity(Message(heading="Rubrik"))["summary"] == "Rubrik"
    assert len(message_activity(Message(text="å " * 1000))["summary"]) == 250
    assert "summary" not in message_activity(Message(buttons=(BUTTON,)))
    for message in SHAPES.values():
        Activity.model_validate(message_activity(message))


def test_the_checker_reports_what_the_library_rejects() -> None:
    bad = {
        "type": "AdaptiveCard",
        "version": "1.5",
        "body": [
            {"type": "Input.Text"},
            {"type": "TextBlock", "text": "x", "size": "Huge", "wrapp": True},
            {"type": "Carousel", "pages": []},
        ],
        "actions": [{"type": "Action.Execute", "verb": "v", "fallback": {"type": "Action.Submit", "dat": 1}}],
    }
    (problems,) = check_cards([bad])
    assert problems == [
        'parse: Invalid value "Huge" for property "size".',
        'parse: Unknown element type "Carousel". Fallback will be used if present.',
        "validation: All inputs must have a unique Id.",
        "card.body[1].wrapp: not a property of TextBlock in version 1.5",
        "card.body[2]: Carousel is from version 1.6, after 1.5",
        "card.actions[0].fallback.dat: not a property of Action.Submit in version 1.5",
    ]


@pytest.fixture(scope="module")
def demo_messages(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Message]]:
    """Every message the three demo acts queue (plan posts, triage posts, follow-up DMs with buttons and files)."""
    folder: Path = tmp_path_factory.mktemp("demo")
    assert main(["demo", "--dir", str(folder)]) == 0
    with sqlite3.connect(folder / "demo.db") as connection:
        rows = connection.execute("SELECT kind, message FROM delivery ORDER BY id").fetchall()
    return [(kind, Message.from_json(raw)) for kind, raw in rows if raw != "{}"]


def test_every_message_the_demo_sends_is_a_card_the_library_accepts(demo_messages) -> None:
    kinds = {kind for kind, _ in demo_messages}
    assert {"plan", "case_triage", "followup_invitation", "followup_summary", "failure_report"} <= kinds
    parts = [part for _, message in demo_messages for part in split_for("teams", message)]
    assert_valid_cards([message_card(part) for part in parts])
    assert max(activity_bytes(part) for part in parts) <= ACTIVITY_LIMIT
    for part in parts:
        Activity.model_validate(message_activity(part))
    triage = next(message for kind, message in demo_messages if kind == "case_triage" and message.buttons)
    verbs = [a["data"]["verb"] for s in message_card(triage)["body"] if s["type"] == "ActionSet" for a in s["actions"]]
    assert verbs == [button.action for button in triage.buttons]


def _long(character: str) -> Message:
    paragraphs = "\n\n".join(f"{character * 300} {n}\n{character * 200}" for n in range(120))
    return Message(
        text=paragraphs,
        heading="Lång rubrik " + character * 100,
        facts=tuple(Fact(f"Fakta {n} " + character * 20, character * 400) for n in range(30)),
        items=tuple(f"Punkt {n} " + character * 300 for n in range(40)),
        buttons=triage_buttons(1, closed=False, new=True, confidential=True),
        buttons_id="case:1",
        files=(File("a.csv", "A", b"x" * 100_000),),
        summary="Sammanfattning",
    )


def sent_bytes(message: Message) -> int:
    """The size of the activity as the Agents SDK sends it, addressed to a channel conversation."""
    activity = Activity.model_validate(
        {
            **message_activity(message),
            "conversation": {"id": "19:" + "c" * 32 + "@thread.tacv2;messageid=1712345678901", "isGroup": True},
            "from": {"id": "28:" + "b" * 36, "name": "Samverkan"},
            "recipient": {"id": "29:" + "u" * 120, "name": "Kvalitetschefen"},
            "serviceUrl": "https://smba.trafficmanager.net/emea/" + "t" * 36 + "/",
            "channelData": {"tenant": {"id": "t" * 36}, "channel": {"id": "19:" + "c" * 32 + "@thread.tacv2"}},
        }
    )
    return len(activity.model_dump_json(by_alias=True, exclude_none=True).encode())


@pytest.mark.parametrize("character", ["å", "a", "*", "😀"])
def test_every_part_of_a_long_message_fits_teams_28_kb(character: str) -> None:
    message = _long(character)
    parts = split(message)
    assert len(parts) > 2
    sizes = [len(json.dumps(message_activity(part), ensure_ascii=False).encode()) for part in parts]
    assert max(sizes) <= ACTIVITY_LIMIT
    assert max(sent_bytes(part) for part in parts) <= TEAMS_LIMIT == 28_000
    assert parts[0].heading == message.heading and parts[0].summary == message.summary
    assert all(part.heading is None for part in parts[1:])
    assert "\n\n".join(part.text for part in parts if part.text) == message.text
    assert [fact for part in parts for fact in part.facts] == list(message.facts)
    assert [item for part in parts for item in part.items] == list(message.items)
    assert parts[-1].buttons == message.buttons and parts[-1].files == message.files
    assert all(not part.buttons and not part.files for part in parts[:-1])
    assert_valid_cards([message_card(part) for part in parts])


def test_a_message_that_fits_is_one_part_and_a_huge_item_is_cut() -> None:
    assert split(SHAPES["everything"]) == [SHAPES["everything"]]
    huge = Message(items=("å" * 40_000,), buttons=(BUTTON,))
    parts = split(huge)
    assert max(activity_bytes(part) for part in parts) <= ACTIVITY_LIMIT
    assert parts[-1].buttons == (BUTTON,) and parts[0].items[0].endswith("…")


def test_the_activities_of_a_message_are_its_parts_rendered_once_each():
    short = Message(text="Hej *alla*", heading="Rubrik", buttons=(Button("a", "Knapp", "1"),))
    assert activities(short) == [message_activity(short)]
    long = Message(text="\n\n".join(f"Stycke {n}: " + "å" * 900 for n in range(40)), heading="Lång")
    assert activities(long) == [message_activity(part) for part in split(long)]
    assert len(activities(long)) > 1
    assert all(len(json.dumps(a, ensure_ascii=False).encode()) <= ACTIVITY_LIMIT for a in activities(long))
