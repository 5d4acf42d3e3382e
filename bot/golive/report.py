"""What `samverkan doctor` reports on each platform: what passed, what was skipped and each problem with its fix;
and the configured channels it checks."""

from dataclasses import dataclass, field

from bot.config.channels import channel_platform
from bot.config.model import AssociationConfig
from storage.platform import Platform


@dataclass(frozen=True)
class Problem:
    subject: str
    what: str
    fix: str

    def render(self) -> str:
        return f"- {self.subject}: {self.what}\n  Fix: {self.fix}"


@dataclass
class Report:
    passed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unreachable: bool = False  # the platform did not answer at all: the checks after that point did not run


def configured_channels(config: AssociationConfig, platform: Platform) -> dict[str, list[str]]:
    """Every channel id on `platform` in the file, with what uses it (for the operator to find it)."""
    channels: dict[str, list[str]] = {}
    for kind, section in (("forum", config.forums), ("department", config.departments), ("member", config.members)):
        for entry in section:
            if entry.channel:
                channels.setdefault(entry.channel, []).append(f"{kind} {entry.id}")
    for item in config.plan:
        for channel in item.audience.channels:
            channels.setdefault(channel, []).append(f"plan item {item.id}")
    for routing in config.cases.routing if config.cases else []:
        channels.setdefault(routing.triage_channel, []).append(f"triage channel of {routing.department}")
    for name in ("staff_channel", "public_channel"):
        channel = getattr(config.board, name) if config.board else None
        if channel:
            channels.setdefault(channel, []).append(f"board {name.replace('_', ' ')}")
    return {channel: uses for channel, uses in channels.items() if channel_platform(channel) == platform}
