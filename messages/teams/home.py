"""The personal view's parts as one Adaptive Card: each part's elements in turn."""

from messages.message import Message
from messages.teams.card import Card, card, message_card


def home_card(parts: list[Message]) -> Card:
    return card([element for part in parts for element in message_card(part)["body"]])
