"""Samverkan markup as the markdown that Adaptive Card TextBlocks render in Teams, and as plain text.

Teams renders a subset of CommonMark in a TextBlock: `**bold**`, `_italic_`, `[label](url)`, "- " lists. So
`*bold*` becomes `**bold**`, `<url|label>` becomes `[label](url)`, the entities `&amp;` `&lt;` `&gt;` become
their characters again, and every other character Teams markdown would read as markup (a backslash, `[`, `]`,
a backtick, a `*` or `_` that is not one of our pairs) is backslash-escaped: as on Slack, no stored or typed
value can make a link or a mention (its `*pairs*` show as bold on both).

Mentions: `<@ID|Name>` (messages.mrkdwn.user_mention with a name) is written as the name in bold, `<@ID>` as
a neutral label. A real Teams mention (`<at>Name</at>` with a mention entity beside the card) was not chosen:
the entity's name must match the text in the tag or Teams shows the tag as it is, a card already stored in the
outbox has no entity to carry, and a mention in a proactive channel card notifies someone who may not be a
member of the channel. A bold name reads the same and cannot misfire. Channel references `<#ID|name>` become
`#name`, `<#ID>` a neutral label ("kanalen"): a card cannot mention a channel.

Line breaks: Teams needs a blank line to break a line outside a list, so a single newline becomes "\\n\\n"
except before a list line ("- ", or "• " as our templates write one, which becomes "- "). The card builder
gives each paragraph (text between blank lines) a TextBlock of its own, so paragraphs stay apart from lines.
"""

import html
import re
from collections.abc import Callable

from messages.labels import labels

_LABELS = labels("teams_cards")
_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_MARKDOWN_SPECIALS = re.compile(r"([\\*_\[\]`])")
_TOKEN = re.compile(
    r"(?P<tag><[^<>\n]*>)"
    r"|(?<![\w*])\*(?=\S)(?P<bold>[^*\n]*?\S)\*(?![\w*])"
    r"|(?<![\w_])_(?=\S)(?P<italic>[^_\n]*?\S)_(?![\w_])"
    r"|`(?P<code>[^`\n]+)`"
)
_LIST_LINE = re.compile(r"[-•] ")
# Slack's emoji codes that our templates write, as the characters Teams shows (an unknown code stays as written).
EMOJI = {
    "alarm_clock": "\u23f0",
    "inbox_tray": "\U0001f4e5",
    "lock": "\U0001f512",
    "rotating_light": "\U0001f6a8",
    "speech_balloon": "\U0001f4ac",
    "warning": "\u26a0\ufe0f",
    "white_check_mark": "\u2705",
    "x": "\u274c",
}
_EMOJI_CODE = re.compile(r":([a-z_]+):")
NO_BREAK_SPACE = "\u00a0"
_ORDERED_START = re.compile(r"^(\d+)\.(?=\s)")


def unescape(text: str) -> str:
    """The characters behind Slack's three entities."""
    return re.sub(r"&(amp|lt|gt);", lambda match: _ENTITIES[match.group(0)], text)


def _escape(text: str) -> str:
    """Plain characters as Teams markdown shows them literally."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", text)


def _url(url: str) -> str:
    """A link address inside `(...)`: parentheses and whitespace percent-encoded so they cannot end it."""
    return "".join(f"%{ord(char):02X}" if char in "()<>" or char.isspace() else char for char in unescape(url))


def _tag(tag: str, plain: bool, bold: bool) -> str:
    """A `<...>` of the markup: a mention, a channel reference or a link (anything else shown as written)."""
    inner = tag[1:-1]
    target, _, label = inner.partition("|")
    show = (lambda text: unescape(text)) if plain else (lambda text: _escape(unescape(text)))
    if target.startswith("@"):
        if not label:
            return show(_LABELS["person"])
        return show(label) if plain or bold else f"**{show(label)}**"
    if target.startswith("#"):
        return show(f"#{label}" if label else _LABELS["channel"])
    if target.startswith("!"):
        return show(label)
    if plain:
        return show(label or target)
    return f"[{show(label or target)}]({_url(target)})"


def _inline(text: str, plain: bool, bold: bool = False) -> str:
    """One line of markup converted: tags, bold, italic and code spans; the rest escaped (`bold`: inside bold
    already, where a mention's name is not made bold again)."""
    out: list[str] = []
    at = 0
    for match in _TOKEN.finditer(text):
        out.append(_plain_run(text[at : match.start()], plain))
        at = match.end()
        if match.group("tag"):
            out.append(_tag(match.group("tag"), plain, bold))
        elif match.group("bold") is not None:
            inner = _inline(match.group("bold"), plain, bold=True)
            out.append(inner if plain else f"**{inner}**")
        elif match.group("italic") is not None:
            inner = _inline(match.group("italic"), plain, bold)
            out.append(inner if plain else f"_{inner}_")
        else:
            out.append(unescape(match.group("code")) if plain else _escape(unescape(match.group("code"))))
    out.append(_plain_run(text[at:], plain))
    return "".join(out)


def _plain_run(run: str, plain: bool) -> str:
    """Text between markup: entities back to characters, emoji codes to emoji, escaped for markdown."""
    text = _EMOJI_CODE.sub(lambda code: EMOJI.get(code.group(1), code.group(0)), unescape(run))
    return text if plain else _escape(text)


def _lines(text: str, convert: Callable[[str], str], line_break: Callable[[str], str]) -> str:
    paragraphs = []
    for paragraph in text.split("\n\n"):
        lines = paragraph.split("\n")
        converted = convert(lines[0])
        for line in lines[1:]:
            converted += line_break(line) + convert(line)
        paragraphs.append(converted)
    return "\n\n".join(paragraphs)


def _markdown_line(line: str) -> str:
    """One line as Teams markdown: a "• " line (how our templates list) as a "- " list item; an indent and a
    start like a numbered list item ("2027. ") kept as Slack shows them."""
    if line.startswith("• "):
        return "- " + _inline(line[2:], plain=False)
    text = line.lstrip(" ")
    indent = NO_BREAK_SPACE * (len(line) - len(text))  # leading spaces would make an indented code block
    return indent + _ORDERED_START.sub(r"\1\\.", _inline(text, plain=False))


def to_teams_markdown(text: str) -> str:
    """Samverkan markup as Teams TextBlock markdown (see the module docstring)."""
    return _lines(text, _markdown_line, lambda line: "\n" if _LIST_LINE.match(line) else "\n\n")


def to_plain_text(text: str) -> str:
    """Samverkan markup as plain text (a notification's summary): no markers, links as their label."""
    return _lines(text, lambda line: _inline(line, plain=True), lambda _line: "\n")


def plain_markdown(text: str) -> str:
    """Plain text (a heading, a label, a typed value) as Teams markdown that shows it as written."""
    return _escape(text)


_HTML_ITEM = re.compile(r"<li\b[^>]*>", re.IGNORECASE)
_HTML_BREAK = re.compile(r"<br\s*/?>|</?(?:p|div|li|ul|ol|blockquote|h[1-6]|tr)\b[^>]*>", re.IGNORECASE)
_HTML_TAG = re.compile(r"<[^>]+>")


def html_to_text(content: str) -> str:
    """A Teams message's HTML as the plain text it shows: a line for each br, p, div, li ('- ' first), blockquote,
    h1-h6 and tr, other tags dropped, entities read, blank lines left out."""
    text = _HTML_BREAK.sub("\n", _HTML_ITEM.sub("\n- ", content))
    text = html.unescape(_HTML_TAG.sub("", text)).replace(NO_BREAK_SPACE, " ")
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())
