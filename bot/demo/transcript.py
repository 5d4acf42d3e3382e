"""What the demo prints: per act, what the users did and what reached each channel and DM."""

import html
import re
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.demo.teams_cards import picture_line
from messages.swedish import plural

WIDTH = 100
MENTION = re.compile(r"<([@#])([UWC][A-Z0-9]+)(?:\|[^>]*)?>")


@dataclass
class Entry:
    at: datetime
    place: str  # a channel or DM id for messages; who did what for the users' actions
    text: str


@dataclass
class Act:
    heading: str
    intro: list[str]
    actions: list[Entry] = field(default_factory=list)
    messages: list[Entry] = field(default_factory=list)
    hidden: int = 0  # plan messages sent during the act but shown in act 1's style only there


def plain(message: dict[str, Any]) -> str:
    """A message or view as text: its sections and context lines, its pictures, and its buttons as [labels]."""
    lines = []
    for block in message.get("blocks") or []:
        kind = block.get("type")
        if kind in ("section", "header") and block.get("text"):
            lines.append(block["text"]["text"])
        elif kind == "image":
            lines.append(picture_line(block.get("alt_text", "")))
        elif kind == "context":
            lines.append(" ".join(e.get("text", "") for e in block.get("elements", []) if isinstance(e, dict)))
        elif kind == "actions":
            buttons = [e["text"]["text"] for e in block.get("elements", []) if e.get("type") == "button"]
            if buttons:
                lines.append("Knappar: " + " ".join(f"[{label}]" for label in buttons))
    return html.unescape("\n\n".join(lines) if lines else message.get("text", ""))


@dataclass(frozen=True)
class PlatformText:
    """How the transcript speaks of the platform: the banner, what the users' requests are, which places are
    direct chats (listed after the channels)."""

    banner: str
    requests: str
    direct: Callable[[str], bool]


SLACK = PlatformText(
    "Den riktiga appen över HTTP mot en låtsas-Slack på 127.0.0.1, med simulerad klocka.",
    "signerade anrop till appen",
    lambda place: place.startswith("D"),
)
TEAMS = PlatformText(
    "Den riktiga appen över HTTP (/api/messages, anonymt läge) mot en låtsad Bot Connector-tjänst på 127.0.0.1, "
    "med simulerad klocka. Korten visas som text: rubrik, text, fakta, listor, fält med värden och fel, "
    "knappar inom [hakparenteser].",
    "aktiviteter till appens /api/messages",
    lambda place: place.startswith("a:"),
)


def print_act(act: Act, names: dict[str, str], platform: PlatformText = SLACK) -> None:
    """The act's heading and introduction, what the users did, then every channel and DM (`names` by id)."""
    print("\n" + "#" * WIDTH)
    print(f"# {act.heading}")
    print("#" * WIDTH)
    for line in act.intro:
        print(textwrap.fill(line, WIDTH))
    if act.actions:
        print(f"\n=== Vad användarna gör ({platform.requests}) ===")
        for entry in act.actions:
            _print_entry(entry, entry.place, names)
    by_channel: dict[str, list[Entry]] = {}
    for entry in act.messages:
        by_channel.setdefault(entry.place, []).append(entry)
    for channel in sorted(by_channel, key=lambda c: (platform.direct(c), names.get(c, c))):
        entries = by_channel[channel]
        print(f"\n=== {names.get(channel, channel)} ({plural(len(entries), 'meddelande', 'meddelanden')}) ===")
        for entry in entries:
            _print_entry(entry, None, names)
    messages = plural(len(act.messages), "meddelande", "meddelanden")
    places = plural(len(by_channel), "kanal eller DM", "kanaler och DM")
    print(f"\n{messages} i {places} i den här akten.")
    if act.hidden:
        plan = f"{plural(act.hidden, 'meddelande', 'meddelanden')} enligt kommunikationsplanen"
        print(f"Sedan förra akten skickade boten också {plan} (visas inte här).")


def _print_entry(entry: Entry, label: str | None, names: dict[str, str]) -> None:
    stamp = entry.at.strftime("%Y-%m-%d %H:%M")
    print(f"\n[{stamp}]" + (f" {label}" if label else ""))
    text = MENTION.sub(lambda m: m.group(1) + names.get(m.group(2), m.group(2)), entry.text)
    for line in text.splitlines():
        print(textwrap.indent(textwrap.fill(line, WIDTH) if line else "", "  "))
