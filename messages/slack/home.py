"""The personal view's parts as a Slack Home tab view: each part's blocks in turn, within the tab's 100 blocks."""

from messages.message import Message
from messages.slack.blocks import section
from messages.slack.limits import Block
from messages.slack.message import blocks_of

HOME_BLOCK_LIMIT = 100


def home_view(parts: list[Message]) -> dict:
    """The view for views.publish. The parts are cut to fit already (bot/home/view.py); should a long plan still
    overflow, the last block left says so rather than Slack refusing the view."""
    blocks: list[Block] = [block for part in parts for block in blocks_of(part)]
    if len(blocks) > HOME_BLOCK_LIMIT:
        blocks = [*blocks[: HOME_BLOCK_LIMIT - 1], section("…")]
    return {"type": "home", "blocks": blocks}
