"""The outbox is platform-neutral: bot/ talks to Slack only through its adapter, and builds no Block Kit."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLACK_PACKAGES = ("slack_sdk", "slack_bolt")
# The Slack adapter, and the demo and the CLI runner, which start a Slack app themselves.
MAY_IMPORT_SLACK = ("bot/slack/", "bot/demo/", "bot/cli/run.py")
BLOCK_KIT_TYPES = {"section", "divider", "actions", "header", "mrkdwn", "plain_text"}


def _modules(folder: str) -> list[tuple[str, ast.Module]]:
    paths = sorted((ROOT / folder).rglob("*.py"))
    return [(path.relative_to(ROOT).as_posix(), ast.parse(path.read_text(encoding="utf-8"))) for path in paths]


def _imported(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_only_the_slack_adapter_in_bot_imports_slack_sdk_or_slack_bolt():
    offenders = [
        name
        for name, tree in _modules("bot")
        if not name.startswith(MAY_IMPORT_SLACK) and _imported(tree) & set(SLACK_PACKAGES)
    ]
    assert offenders == []


def test_bot_builds_no_block_kit():
    offenders = {}
    for name, tree in _modules("bot"):
        if name.startswith(("bot/slack/", "bot/demo/")):
            continue
        types = {
            node.values[index].value
            for node in ast.walk(tree)
            if isinstance(node, ast.Dict)
            for index, key in enumerate(node.keys)
            if isinstance(key, ast.Constant) and key.value == "type" and isinstance(node.values[index], ast.Constant)
        } & BLOCK_KIT_TYPES
        if types:
            offenders[name] = sorted(types)
    assert offenders == {}
