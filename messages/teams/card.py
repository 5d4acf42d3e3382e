"""A neutral Message as an Adaptive Card 1.5 and as the Bot Framework activity that carries it to Teams.

Buttons are `Action.Execute` (Universal Actions: the bot answers the invoke and can update the card in place)
with `verb` = the button's action and `data` = {"verb", "value"}; each has an `Action.Submit` fallback with the
same data for clients without Universal Actions. A button that opens a dialog (`Button.opens_dialog`) is an
`Action.Submit` whose data asks Teams to fetch the dialog (`"msteams": {"type": "task/fetch"}`): Teams sends a
task/fetch invoke with that data, and the bot answers with the dialog. Files are not in the card: they go as their
own file consent cards (see bot/teams), which the card names.
"""

from typing import Any

from messages.chunks import cut
from messages.labels import labels
from messages.message import Button, ButtonStyle, Fact, Message
from messages.teams.markup import plain_markdown, to_plain_text, to_teams_markdown

Card = dict[str, Any]  # an Adaptive Card element (or the card) as its JSON
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.5"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
DIVIDER_LINE = "\n---\n"
ACTIONS_PER_SET = 5  # the Adaptive Cards host default (maxActions); Teams shows no more in a row
SUMMARY_LIMIT = 250
TASK_FETCH = "task/fetch"  # the invoke an Action.Submit sends when its data asks for a dialog
STYLES = {ButtonStyle.PRIMARY: "positive", ButtonStyle.DANGER: "destructive"}
_LABELS = labels("teams_cards")


def card(body: list[Card], actions: list[Card] | None = None) -> Card:
    """An Adaptive Card 1.5 with `body` (and card-level `actions`), full width in Teams."""
    result: Card = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": CARD_VERSION, "body": body}
    if actions:
        result["actions"] = actions
    result["msteams"] = {"width": "Full"}
    return result


def text_block(markdown: str, **options: Any) -> Card:
    """A wrapping TextBlock of Teams markdown."""
    return {"type": "TextBlock", "text": markdown, "wrap": True, **options}


def heading_block(heading: str) -> Card:
    return text_block(plain_markdown(heading), size="Large", weight="Bolder", style="heading")


def text_blocks(text: str) -> list[Card]:
    """Samverkan markup as TextBlocks, one a paragraph; a line '---' puts a separator above what follows."""
    blocks: list[Card] = []
    separate = False
    for index, piece in enumerate(text.split(DIVIDER_LINE)):
        separate = separate or index > 0
        for paragraph in piece.strip().split("\n\n"):
            if not paragraph.strip():
                continue
            block = text_block(to_teams_markdown(paragraph.strip("\n")))
            if separate and blocks:
                block["separator"] = True
            separate = False
            blocks.append(block)
    return blocks


def fact_set(facts: tuple[Fact, ...]) -> list[Card]:
    if not facts:
        return []
    return [
        {
            "type": "FactSet",
            "facts": [{"title": to_teams_markdown(f.label), "value": to_teams_markdown(f.value)} for f in facts],
        }
    ]


def item_list(items: tuple[str, ...]) -> list[Card]:
    """Items as one "- item" list."""
    if not items:
        return []
    return [text_block("\n".join(f"- {to_teams_markdown(' '.join(item.split()))}" for item in items))]


def execute(verb: str, title: str, data: dict[str, Any], style: str | None = None) -> Card:
    """An Action.Execute with `verb` and `data`, falling back to an Action.Submit with the same data."""
    action: Card = {"type": "Action.Execute", "title": title, "verb": verb, "data": data}
    submit: Card = {"type": "Action.Submit", "title": title, "data": data}
    if style:
        action["style"] = style
        submit["style"] = style
    action["fallback"] = submit
    return action


def dialog_button(title: str, data: dict[str, Any], style: str | None = None) -> Card:
    """An Action.Submit that opens a dialog: Teams sends a task/fetch invoke with `data`."""
    action: Card = {"type": "Action.Submit", "title": title, "data": {**data, "msteams": {"type": TASK_FETCH}}}
    if style:
        action["style"] = style
    return action


def button_action(button: Button) -> Card:
    data = {"verb": button.action, "value": button.value}
    style = STYLES[button.style] if button.style else None
    if button.opens_dialog:
        return dialog_button(button.label, data, style)
    return execute(button.action, button.label, data, style)


def action_sets(buttons: tuple[Button, ...], set_id: str | None) -> list[Card]:
    """Buttons as ActionSets of five; the first carries `set_id`, the next ones '<set_id>/2', ..."""
    sets: list[Card] = []
    for start in range(0, len(buttons), ACTIONS_PER_SET):
        action_set: Card = {
            "type": "ActionSet",
            "actions": [button_action(b) for b in buttons[start : start + ACTIONS_PER_SET]],
        }
        if set_id:
            action_set["id"] = set_id if not sets else f"{set_id}/{len(sets) + 1}"
        sets.append(action_set)
    return sets


def file_note(message: Message) -> list[Card]:
    """The files named in the card: they come as consent cards of their own."""
    if not message.files:
        return []
    names = "\n".join(f"- {plain_markdown(f.filename)}" for f in message.files)
    return [text_block(f"{plain_markdown(_LABELS['files'])}\n{names}", isSubtle=True, separator=True)]


def message_card(message: Message) -> Card:
    """Heading, text, facts, items, the files' note and buttons, in that order, as an Adaptive Card 1.5."""
    body = [heading_block(message.heading)] if message.heading else []
    body += text_blocks(message.text)
    body += fact_set(message.facts)
    body += item_list(message.items)
    body += file_note(message)
    body += action_sets(message.buttons, message.buttons_id)
    return card(body)


def card_attachment(content: Card) -> Card:
    """An Adaptive Card as an activity's attachment."""
    return {"contentType": CARD_CONTENT_TYPE, "content": content}


def summary(message: Message) -> str:
    """The notification text: the message's summary, else the start of its text (or heading), as plain text."""
    text = message.summary or message.text or message.heading or (message.items[0] if message.items else "")
    lines = [line for line in text.split("\n") if line.strip() != "---"]
    return cut(" ".join(to_plain_text("\n".join(lines)).split()), SUMMARY_LIMIT)


def message_activity(message: Message) -> Card:
    """The activity that posts `message` (the card as its one attachment, the summary for notifications, left out
    when there is nothing to summarize)."""
    activity: Card = {"type": "message"}
    if notification := summary(message):  # the SDK refuses an empty summary
        activity["summary"] = notification
    activity["textFormat"] = "markdown"
    activity["attachments"] = [card_attachment(message_card(message))]
    return activity
