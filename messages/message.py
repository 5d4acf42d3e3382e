"""The neutral message: what a feature wants to say, whichever chat platform it goes to.

A feature (or a template) builds a `Message`; the outbox stores it as JSON; the platform's renderer turns it
into what the platform shows: `messages/slack/` into Block Kit (split at Slack's limits), and, in the next issue,
`messages/teams/` into an Adaptive Card 1.5. Nothing here is Slack-only: every field maps onto both targets.

| field     | Slack (Block Kit)                     | Teams (Adaptive Card 1.5)                     |
|-----------|---------------------------------------|-----------------------------------------------|
| heading   | header block                          | TextBlock, size large, weight bolder          |
| text      | section blocks (mrkdwn), dividers     | TextBlocks (markdown), separator              |
| facts     | section fields "*label*\\nvalue"      | FactSet                                       |
| items     | a section with one "• item" a line    | TextBlock with a "- item" list                |
| buttons   | an actions block of buttons           | ActionSet of Action.Execute, or task/fetch    |
| files     | files uploaded after the post         | file attachments (or a link card)             |
| summary   | the notification `text`               | the activity's `summary`                      |

Samverkan markup: the text (and facts, items) is written in our own markup, the subset of Slack mrkdwn that the
Jinja templates produce, and nothing beyond it:
- `*bold*` and `_italic_`;
- links `<url|label>`, made only by `messages.mrkdwn.link`;
- mentions `<@ID>` or `<@ID|Name>` (a person, by the id of the platform that reaches them) and channel
  references `<#C…>` or `<#teams:…>`, made by `messages.mrkdwn.user_mention` and `channel_mention`;
- `&amp;`, `&lt;` and `&gt;` for the three characters that start markup (every inserted value is escaped);
- a line `---` alone: a divider;
- a blank line between paragraphs.
Slack reads it as it is. The Teams renderer (`messages/teams/markup.py`) converts it: `*x*` to `**x**`,
`<url|label>` to `[label](url)`, a mention to the person's name in bold (a neutral label without a name), a
channel reference to its name or a neutral label, the entities back to characters, re-escaped for Teams markdown.
"""

import base64
import json
from dataclasses import asdict, dataclass
from enum import StrEnum


class ButtonStyle(StrEnum):
    """How a button stands out: Slack's style, an Adaptive Card action's style ('positive' / 'destructive')."""

    PRIMARY = "primary"
    DANGER = "danger"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Button:
    """An action the reader can take: `action` routes it (Slack action_id, Teams Action.Execute verb).

    `opens_dialog`: the click opens a form of its own, apart from the message, for the clicker alone. Slack opens a
    modal from any click; Teams only from a button made for it (an Action.Submit that fetches a dialog)."""

    action: str
    label: str
    value: str
    style: ButtonStyle | None = None
    opens_dialog: bool = False


@dataclass(frozen=True)
class File:
    """A file sent with the message (a round's answers as CSV and Excel)."""

    filename: str
    title: str
    content: bytes


@dataclass(frozen=True)
class Message:
    """What to say. `buttons_id` is the id the renderer gives the group of buttons (Slack's block_id, a Teams
    ActionSet's id), the same in every rendering of the message, e.g. "case:<id>" under a triage post; no handler
    reads it. `summary` is the notification text when the text's start is not."""

    text: str = ""
    heading: str | None = None
    facts: tuple[Fact, ...] = ()
    items: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    buttons_id: str | None = None
    files: tuple[File, ...] = ()
    summary: str | None = None

    def to_json(self) -> str:
        """JSON for the outbox; files as base64; empty fields left out."""
        data = asdict(self)
        # a button's flag only when set: rows written before it existed read the same
        data["buttons"] = [{k: v for k, v in b.items() if k != "opens_dialog" or v} for b in data["buttons"]]
        data["files"] = [
            {"filename": f.filename, "title": f.title, "content_base64": base64.b64encode(f.content).decode()}
            for f in self.files
        ]
        return json.dumps({name: value for name, value in data.items() if value}, ensure_ascii=False)

    @classmethod
    def from_json(cls, raw: str) -> "Message":
        data = json.loads(raw)
        return cls(
            text=data.get("text", ""),
            heading=data.get("heading"),
            facts=tuple(Fact(**fact) for fact in data.get("facts", ())),
            items=tuple(data.get("items", ())),
            buttons=tuple(
                Button(
                    b["action"],
                    b["label"],
                    b["value"],
                    ButtonStyle(b["style"]) if b.get("style") else None,
                    b.get("opens_dialog", False),
                )
                for b in data.get("buttons", ())
            ),
            buttons_id=data.get("buttons_id"),
            files=tuple(
                File(f["filename"], f["title"], base64.b64decode(f["content_base64"])) for f in data.get("files", ())
            ),
            summary=data.get("summary"),
        )
