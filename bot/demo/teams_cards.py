"""What a Teams user sees in an activity, as the demo's transcript prints it: an Adaptive Card's heading and texts,
facts, lists, pictures (the first sentence of their description), form fields with their values and errors, and
buttons in brackets; file consent and file info cards.

The demo is a fake Teams client, so it reads the card JSON the app sent, as Teams would render it, in text.
"""

import re
from collections.abc import Iterator

ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"
FILE_INFO_CARD = "application/vnd.microsoft.teams.card.file.info"
Card = dict
_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ESCAPED = re.compile(r"\\([\\*_\[\]`])")


def readable(markdown: str) -> str:
    """Teams markdown as the text it shows: escapes undone, **bold** written *bold*, one line per line."""
    text = _BOLD.sub(r"*\1*", markdown.replace("\n\n", "\n"))
    return _ESCAPED.sub(r"\1", text)


def activity_text(activity: dict) -> str:
    """An activity's text and each of its cards, as text."""
    parts = [readable(activity["text"])] if activity.get("text") else []
    for attachment in activity.get("attachments") or []:
        parts.append(attachment_text(attachment))
    return "\n\n".join(part for part in parts if part)


def attachment_text(attachment: dict) -> str:
    kind, content = attachment.get("contentType"), attachment.get("content") or {}
    if kind == ADAPTIVE_CARD:
        return card_text(content)
    if kind == FILE_CONSENT_CARD:
        size = content.get("sizeInBytes", 0)
        return (
            f"Fil att spara i OneDrive: {attachment.get('name')} ({content.get('description')}, {size} byte)\n"
            "Knappar: [Tillåt] [Avböj]"
        )
    if kind == FILE_INFO_CARD:
        return f"Fil sparad i OneDrive: {attachment.get('name')}"
    return f"(bilaga av typen {kind})"


def card_text(card: Card) -> str:
    """An Adaptive Card as text: its elements in order, then its actions as [titles]."""
    lines = list(_elements(card.get("body") or []))
    buttons = [action.get("title", "") for action in card.get("actions") or []]
    if buttons:
        lines.append(_buttons(buttons))
    return "\n\n".join(line for line in lines if line)


def _buttons(titles: list[str]) -> str:
    return "Knappar: " + " ".join(f"[{title}]" for title in titles)


def _elements(elements: list[Card]) -> Iterator[str]:
    for element in elements:
        kind = element.get("type")
        if kind == "TextBlock":
            text = readable(element.get("text", ""))
            yield f"⚠ {text}" if element.get("color") == "Attention" else text
        elif kind == "Image":
            yield picture_line(element.get("altText", ""))
        elif kind == "FactSet":
            yield "\n".join(f"{readable(f['title'])}: {readable(f['value'])}" for f in element.get("facts", []))
        elif kind == "ActionSet":
            yield _buttons([action.get("title", "") for action in element.get("actions", [])])
        elif kind and kind.startswith("Input."):
            yield field_line(element)
        elif kind in ("Container", "Column"):
            yield from _elements(element.get("items") or [])
        elif kind == "ColumnSet":
            yield from _elements(element.get("columns") or [])


def picture_line(description: str) -> str:
    """A picture as the first sentence of its description: '[Bild: Linjediagram: ... som streckad linje.]'."""
    return f"[Bild: {description.split('. ')[0].removesuffix('.')}.]"


def field_line(element: Card) -> str:
    """A form field: its label and what it shows ('label: value', or '[ ]'/'[x]' and the title of a toggle)."""
    label = element.get("label", "")
    value = element.get("value", "")
    if element.get("type") == "Input.Toggle":
        checked = "x" if value == element.get("valueOn", "true") else " "
        return f"{label}: [{checked}] {element.get('title', '')}".strip()
    if element.get("type") == "Input.ChoiceSet":
        titles = {choice["value"]: choice["title"] for choice in element.get("choices", [])}
        value = ", ".join(titles.get(v, v) for v in value.split(",") if v)
    return f"{label}: {value or '…'}"
