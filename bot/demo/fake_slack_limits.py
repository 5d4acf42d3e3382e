"""What the fake Slack refuses as Slack does: too many blocks, a section's text too long, a method it lacks.

Slack checks a message's or a view's blocks before acting and answers HTTP 200 with `ok: false`, the error's
name and, in `response_metadata.messages`, one line per problem naming the JSON pointer of what is wrong:
`invalid_blocks` for a message (chat.postMessage, chat.update, chat.postEphemeral, a response_url post) and
`invalid_arguments` for a view (views.open, views.update, views.push, views.publish), e.g.
`[ERROR] no more than 50 items allowed [json-pointer:/blocks]`. Nothing is posted, updated or shown. An image
block needs alt text of at most 2,000 characters and one source: an `image_url` or a `slack_file` by its id
(whether that file exists is the fake's state: fake_slack_api.py).
"""

import json
import re
from dataclasses import dataclass
from typing import Any

MESSAGE_BLOCKS = 50  # a message (and a response_url reply)
VIEW_BLOCKS = 100  # a modal or the Home tab
SECTION_TEXT = 3000  # a section block's text
ALT_TEXT = 2000  # an image block's alt_text
SLACK_FILE_ID = re.compile(r"^F[A-Z0-9]{8,}$")
MESSAGE_METHODS = frozenset({"chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"})
VIEW_METHODS = frozenset({"views.open", "views.update", "views.push", "views.publish"})


def unknown_method(method: str) -> dict[str, Any]:
    """Slack's answer to a Web API method that does not exist (here: one the fake does not implement)."""
    return {"ok": False, "error": "unknown_method", "req_method": method}


def blocks_refusal(method: str, params: dict[str, Any]) -> dict[str, Any] | None:
    """Slack's refusal of the blocks `method` was given, or None when they are within Slack's limits."""
    if method in MESSAGE_METHODS:
        problems = block_problems(maybe_json(params.get("blocks")), MESSAGE_BLOCKS, "/blocks")
        error = "invalid_blocks"
    elif method in VIEW_METHODS:
        view = maybe_json(params.get("view"))
        blocks = view.get("blocks") if isinstance(view, dict) else None
        problems = block_problems(blocks, VIEW_BLOCKS, "/view/blocks")
        error = "invalid_arguments"
    else:
        return None
    return refusal_of(error, problems) if problems else None


def refusal_of(error: str, problems: list[str]) -> dict[str, Any]:
    """Slack's answer refusing blocks for `problems`."""
    return {
        "ok": False,
        "error": error,
        "errors": problems,
        "response_metadata": {"messages": [f"[ERROR] {problem}" for problem in problems]},
    }


def image_problems(block: dict[str, Any], at: str) -> list[str]:
    """How an image block breaks Slack's rules: alt text missing or too long, no source or two."""
    problems = []
    alt_text = block.get("alt_text")
    if not isinstance(alt_text, str) or not alt_text:
        problems.append(f"missing required field: alt_text [json-pointer:{at}]")
    elif len(alt_text) > ALT_TEXT:
        problems.append(f"must be less than {ALT_TEXT + 1} characters [json-pointer:{at}/alt_text]")
    sources = [key for key in ("image_url", "slack_file") if key in block]
    if len(sources) != 1:
        problems.append(f"must provide exactly one of image_url or slack_file [json-pointer:{at}]")
    file = block.get("slack_file")
    if "slack_file" in block and not (isinstance(file, dict) and SLACK_FILE_ID.match(str(file.get("id", "")))):
        problems.append(f"input must match regex pattern: ^[F][A-Z0-9]{{8,}}$ [json-pointer:{at}/slack_file/id]")
    return problems


def block_problems(blocks: object, most: int, pointer: str) -> list[str]:
    """Each way `blocks` breaks Slack's limits, worded as Slack words it, with the JSON pointer to it."""
    if not isinstance(blocks, list):
        return []
    problems = [f"no more than {most} items allowed [json-pointer:{pointer}]"] if len(blocks) > most else []
    for index, block in enumerate(blocks):
        if isinstance(block, dict) and block.get("type") == "image":
            problems += image_problems(block, f"{pointer}/{index}")
        text = block.get("text") if isinstance(block, dict) and block.get("type") == "section" else None
        if isinstance(text, dict) and len(str(text.get("text", ""))) > SECTION_TEXT:
            problems.append(
                f"must be less than {SECTION_TEXT + 1} characters [json-pointer:{pointer}/{index}/text/text]"
            )
    return problems


def maybe_json(value: Any) -> Any:
    """A JSON-encoded argument (form-encoded calls send blocks and views as strings) as Python values."""
    if isinstance(value, str) and value[:1] in "[{":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


@dataclass
class TokenBucket:
    """`rate` requests a second on average, `burst` at once; `wait` is how long until the next is allowed."""

    rate: float
    burst: float
    tokens: float
    updated: float

    def take(self, now: float) -> float:
        """Take one token if there is one (0.0); otherwise the seconds until there is, taking nothing."""
        self.tokens = min(self.burst, self.tokens + (now - self.updated) * self.rate)
        self.updated = max(self.updated, now)
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return 0.0
        return (1.0 - self.tokens) / self.rate
