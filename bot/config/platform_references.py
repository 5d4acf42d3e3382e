"""Cross-section checks for the chat platforms: every person and channel is on a platform the file enables."""

from typing import Any

from bot.config.board_model import BoardConfig
from bot.config.cases_model import CasesConfig
from bot.config.channels import channel_platform
from bot.config.model import Audience, Person
from bot.config.salvage import list_of
from storage.platform import Platform


def default_platform(data: dict[str, Any]) -> dict[str, Any]:
    """The raw file with each person given only by e-mail reached on the file's first platform (Slack when the
    file names none): a person's platform is then known from their own entry, wherever it is used."""
    platforms, people = data.get("platforms"), data.get("people")
    if not isinstance(people, list) or not isinstance(platforms, list) or not platforms:
        return data
    first = platforms[0]
    if first not in set(Platform):  # reported as the platforms' own error
        return data
    chosen = {"platform", "slack_id", "teams_id"}
    return {
        **data,
        "people": [
            {**entry, "platform": first} if isinstance(entry, dict) and not chosen & entry.keys() else entry
            for entry in people
        ],
    }


def check_platforms(check: Any) -> None:
    """Add each person and channel on a platform that `platforms` does not enable (`check` is
    references._Checker)."""
    enabled = check.sections.get("platforms", [Platform.SLACK])
    if not isinstance(enabled, list):
        return
    for index, person in enumerate(check.entries("people")):
        if isinstance(person, Person) and person.chat_platform not in enabled:
            check.problems.append(
                (("people", index), f"'{person.id}' is reached on {person.chat_platform}, which 'platforms' lacks")
            )
    for loc, channel in _channels(check):
        if isinstance(channel, str) and channel_platform(channel) not in enabled:
            check.problems.append(
                (loc, f"channel '{channel}' is on {channel_platform(channel)}, which 'platforms' lacks")
            )


def _channels(check: Any) -> list[tuple[tuple[Any, ...], object]]:
    found: list[tuple[tuple[Any, ...], object]] = []
    for section in ("members", "departments", "forums"):
        found += [((section, i, "channel"), entry.channel) for i, entry in enumerate(check.entries(section))]
    for i, item in enumerate(check.entries("plan")):
        channels = item.audience.channels if isinstance(item.audience, Audience) else []
        found += [(("plan", i, "audience", "channels", j), c) for j, c in enumerate(list_of(channels))]
    cases = check.sections.get("cases")
    if isinstance(cases, CasesConfig):
        found += [
            (("cases", "routing", i, "triage_channel"), route.triage_channel)
            for i, route in enumerate(list_of(cases.routing))
        ]
    board = check.sections.get("board")
    if isinstance(board, BoardConfig):
        found += [(("board", name), getattr(board, name)) for name in ("staff_channel", "public_channel")]
    return found
