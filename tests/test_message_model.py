"""The neutral message: a JSON round trip keeps every field, and Slack renders and splits it within its limits."""

from messages.message import Button, ButtonStyle, Fact, File, Message
from messages.slack.message import render, split


def test_a_message_survives_its_json_round_trip():
    message = Message(
        text="*Hej* <@U0VMKF0001>\n---\n_klart_ &amp; <https://example.org|länk>",
        heading="Rubrik",
        facts=(Fact("Status", "Ny"),),
        items=("ett", "två"),
        buttons=(Button("case_take", "Ta ärendet", "7", ButtonStyle.PRIMARY), Button("case_close", "Stäng", "7")),
        buttons_id="case:7",
        files=(File("svar.csv", "Alla svar", b"a;b\n\x00\xff"),),
        summary="Ärende 7",
    )
    assert Message.from_json(message.to_json()) == message
    assert Message.from_json(Message(text="x").to_json()) == Message(text="x")
    assert Message.from_json("{}") == Message()


def test_a_button_that_opens_a_dialog_says_so_and_one_that_does_not_is_stored_as_before():
    dialog = Message(buttons=(Button("case_answer", "Svara", "7", opens_dialog=True),))
    assert Message.from_json(dialog.to_json()) == dialog
    plain = Message(buttons=(Button("case_take", "Ta ärendet", "7"),))
    stored = '{"buttons": [{"action": "case_take", "label": "Ta ärendet", "value": "7", "style": null}]}'
    assert plain.to_json() == stored
    assert Message.from_json(plain.to_json()) == plain


def test_slack_splits_a_long_message_within_its_limits_with_the_buttons_under_the_last_part():
    text = "\n\n".join(f"Stycke {n}: " + "ord " * 700 for n in range(60))  # 60 sections of ~2,800 characters
    button = Button("followup_open_form", "Öppna formuläret", "{}", ButtonStyle.PRIMARY)
    message = Message(text=text, heading="Rubrik", buttons=(button,), buttons_id="followup_open", summary="Kort")
    parts = split(message)
    rendered = [render(part) for part in parts]
    assert [len(r.blocks) for r in rendered] == [50, 12]
    assert rendered[0].blocks[0]["type"] == "header" and rendered[0].text == "Kort"
    assert rendered[-1].blocks[-1]["block_id"] == "followup_open"
    assert rendered[-1].blocks[-1]["elements"][0]["style"] == "primary"
    sections = [b["text"]["text"] for r in rendered for b in r.blocks if b["type"] == "section"]
    assert " ".join(sections).split() == text.split()
    assert split(Message(text="Hej", buttons=(button,))) == [Message(text="Hej", buttons=(button,))]
