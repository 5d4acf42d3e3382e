"""The layers of DESIGN.md, checked on the source: handlers -> bot -> storage, everything may use messages, the
Slack platform (slack_sdk, slack_bolt, Block Kit) only in its adapter, and the Agents SDK only in Teams' adapter.

Every module of bot/, handlers/, storage/ and messages/ is parsed (ast) and its import statements read, at any
depth (inside functions and `if TYPE_CHECKING:` too). Each rule lists its exceptions by path, with the reason.
"""

import ast
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("bot", "handlers", "storage", "messages")
SLACK_ADAPTER = ("bot/slack/", "handlers/slack/", "messages/slack/")
SLACK_PACKAGES = ("slack_sdk", "slack_bolt")
# The Microsoft 365 Agents SDK (and the Teams models it brings) only where Teams is served and sent to; the fake
# Bot Connector in bot/demo speaks its wire format too.
TEAMS_ADAPTER = ("bot/teams/", "handlers/teams/", "bot/demo/fake_teams")
TEAMS_PACKAGES = ("microsoft_agents", "microsoft_teams")

# The composition roots: the only modules of bot/ that may import handlers/.
BOT_IMPORTS_HANDLERS = {
    "bot/slack/app.py": "builds the Bolt app and registers every listener (handlers.slack.register_all) and the "
    "edge checks that run before Bolt (verification, shapes, errors, registry)",
    "bot/teams/app.py": "builds the Agents SDK app and registers every handler (handlers.teams.register_all)",
}

# The handler modules every feature's listeners may use; handlers/slack/__init__.py registers all of them.
SHARED_EDGE = {
    "handlers/slack/verification.py",  # the request signature
    "handlers/slack/shapes.py",  # a payload's shape, checked before Bolt reads it
    "handlers/slack/payload.py",  # reading our own fields (metadata, values) out of a payload
    "handlers/slack/errors.py",  # the one mapping of failures to the user's reply
    "handlers/slack/ack.py",  # an ack that stays given
    "handlers/slack/registry.py",  # the App that records its registrations
    "handlers/slack/middleware.py",  # what runs before every listener
    "handlers/slack/request_keys.py",  # the key a replay is known by
    "handlers/slack/actor.py",  # the one actor resolution per request
    "handlers/slack/replies.py",  # the one mapping of domain errors to the user's reply
    "handlers/slack/modals.py",  # the one way a form opens in a modal, and tells when Slack refuses
    "handlers/teams/commands.py",  # a command message parsed, and the registry of command handlers
    "handlers/teams/actor.py",  # the configured person behind a Teams user
    "handlers/teams/errors.py",  # the one error handler: the traceback logged, the user's apology
    "handlers/teams/reply.py",  # answering in the activity's conversation
    "handlers/teams/replies.py",  # a neutral Message or Form as a reply, or as a card action's invoke response
    "handlers/teams/request_keys.py",  # the key a redelivered activity is known by
    "handlers/teams/asker.py",  # who asks, for the platform-neutral command code
    "handlers/teams/dialogs.py",  # a form in a Teams dialog (task module), and the answers to its invokes
}
REGISTERS_HANDLERS = {"handlers/slack/__init__.py", "handlers/teams/__init__.py"}

# bot/demo is the fake Slack workspace that `samverkan demo`, the tests and the benchmarks drive the real app
# with: it speaks Slack's wire format (payloads, Block Kit in the views it fills in) by design. The app never
# imports it (test_nothing_in_the_app_imports_the_demo).
FAKE_SLACK = "bot/demo/"
# The migration that carried the outbox's Block Kit rows over to neutral messages reads the Block Kit they stored.
READS_OLD_BLOCK_KIT = "storage/migrations/versions/0006_neutral_outbox.py"

# Block Kit is recognised by its shape in the source: a dict literal whose "type" is a Block Kit block, element
# or text object, or a literal key that only Slack's messages and views have ("blocks", "response_action",
# "response_type"), written in a dict or read (`message["blocks"]`, `message.get("blocks")`), or a "type" read
# and compared with a Block Kit type (`block.get("type") == "section"`). Only literals count, so Block
# Kit built from variables goes unseen; what this finds is what a reader sees.
BLOCK_KIT_TYPES = {
    "section",
    "actions",
    "context",
    "divider",
    "header",
    "input",
    "button",
    "static_select",
    "checkboxes",
    "plain_text_input",
    "datepicker",
    "overflow",
    "mrkdwn",
    "plain_text",
    "modal",
    "home",
}
BLOCK_KIT_KEYS = {"blocks", "response_action", "response_type"}


def modules() -> Iterator[Path]:
    for layer in LAYERS:
        yield from sorted((ROOT / layer).rglob("*.py"))


def relative(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def imported(path: Path) -> set[str]:
    """Every module `path` imports: `import a.b` gives a.b; `from a import b` gives a.b if that is a module of
    ours, else a; relative imports are resolved against the package."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    package = relative(path).removesuffix(".py").replace("/", ".").split(".")[:-1]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1] if node.level else [])
            module = ".".join(part for part in (base, node.module or "") if part)
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                names.add(candidate if _module_path(candidate) else module)
    return names


def _module_path(module: str) -> str | None:
    """The path of one of our modules (a file or a package's __init__), or None."""
    base = ROOT / module.replace(".", "/")
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return relative(path)
    return None


def offenders(rule: Callable[[str, set[str]], set[str]]) -> dict[str, list[str]]:
    """Each module for which `rule(path, what it imports)` names bad imports, with those imports."""
    found = {}
    for path in modules():
        bad = sorted(rule(relative(path), imported(path)))
        if bad:
            found[relative(path)] = bad
    return found


def in_layer(module: str, *layers: str) -> bool:
    return module.split(".")[0] in layers


def test_every_layer_is_read():
    paths = {relative(path) for path in modules()}
    assert {"bot/tick.py", "handlers/slack/__init__.py", "handlers/teams/__init__.py", "storage/outbox.py",
            "messages/render.py"} <= paths  # fmt: skip


def test_slack_sdk_and_slack_bolt_only_in_the_slack_adapter():
    def rule(path: str, names: set[str]) -> set[str]:
        if path.startswith(SLACK_ADAPTER):
            return set()
        return {name for name in names if name.split(".")[0] in SLACK_PACKAGES}

    found = offenders(rule)
    assert found == {}


def test_the_agents_sdk_only_in_the_teams_adapter():
    def rule(path: str, names: set[str]) -> set[str]:
        if path.startswith(TEAMS_ADAPTER):
            return set()
        return {name for name in names if name.split(".")[0] in TEAMS_PACKAGES}

    assert offenders(rule) == {}


def test_storage_imports_no_other_layer():
    found = offenders(lambda path, names: {n for n in names if in_layer(n, "bot", "handlers", "messages")})
    assert {path: bad for path, bad in found.items() if path.startswith("storage/")} == {}


def test_messages_import_no_other_layer():
    found = offenders(lambda path, names: {n for n in names if in_layer(n, "bot", "handlers", "storage")})
    assert {path: bad for path, bad in found.items() if path.startswith("messages/")} == {}


def test_bot_imports_handlers_only_in_the_composition_roots():
    found = offenders(lambda path, names: {n for n in names if in_layer(n, "handlers")})
    bot = {path: bad for path, bad in found.items() if path.startswith("bot/")}
    assert set(bot) - set(BOT_IMPORTS_HANDLERS) == set(), bot


def test_nothing_in_the_app_imports_the_demo():
    """The fake Slack and the demo (bot/demo) drive the app from outside; only `samverkan demo` starts them."""
    found = offenders(lambda path, names: {n for n in names if n.startswith("bot.demo")})
    app = {path: bad for path, bad in found.items() if not path.startswith(FAKE_SLACK)}
    assert app == {"bot/cli/demo.py": ["bot.demo.run"]}


def test_a_handler_module_imports_no_other_handler_module():
    def rule(path: str, names: set[str]) -> set[str]:
        if not path.startswith("handlers/") or path in REGISTERS_HANDLERS:
            return set()
        ours = {name: _module_path(name) for name in names if in_layer(name, "handlers")}
        return {name for name, target in ours.items() if target not in SHARED_EDGE and target != path}

    assert offenders(rule) == {}


def test_the_shared_edge_modules_exist():
    assert all((ROOT / path).is_file() for path in SHARED_EDGE | REGISTERS_HANDLERS | set(BOT_IMPORTS_HANDLERS))


def block_kit(path: Path) -> list[str]:
    """Where `path` writes Block Kit in a literal (see BLOCK_KIT_TYPES): 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            if node.slice.value in BLOCK_KIT_KEYS:
                found.append(f"{node.lineno}: [{node.slice.value!r}]")
            continue
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get":
            if node.args and isinstance(node.args[0], ast.Constant) and node.args[0].value in BLOCK_KIT_KEYS:
                found.append(f"{node.lineno}: get({node.args[0].value!r})")
            continue
        if isinstance(node, ast.Compare) and _reads_type(node.left):
            kinds = [c.value for c in node.comparators if isinstance(c, ast.Constant) and c.value in BLOCK_KIT_TYPES]
            found.extend(f"{node.lineno}: type == {kind}" for kind in kinds)
            continue
        if not isinstance(node, ast.Dict):
            continue
        for key, value in zip(node.keys, node.values, strict=True):
            if not isinstance(key, ast.Constant):
                continue
            if key.value == "type" and isinstance(value, ast.Constant) and value.value in BLOCK_KIT_TYPES:
                found.append(f"{node.lineno}: type {value.value}")
            elif key.value in BLOCK_KIT_KEYS:
                found.append(f"{node.lineno}: {key.value}")
    return found


def _reads_type(node: ast.expr) -> bool:
    """`x["type"]` or `x.get("type")`."""
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "type"
    )


def test_block_kit_only_in_the_slack_adapter():
    found = {
        relative(path): where
        for path in modules()
        if not relative(path).startswith((*SLACK_ADAPTER, FAKE_SLACK, READS_OLD_BLOCK_KIT))
        and (where := block_kit(path))
    }
    assert found == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ('blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}}]', 2),
        ('answer = {"response_action": "errors", "errors": {}}', 1),
        ('rows[0]["blocks"] = json.dumps(blocks)', 1),
        ('parts = message.get("blocks") or []', 1),
        ('texts = [b["text"] for b in parts if b.get("type") == "section"]', 1),
        ('if row["type"] == "klagomal": pass', 0),
        ('row = {"type": "klagomal", "status": "open"}', 0),
        ("element = {'type': kind}", 0),
    ],
)
def test_the_block_kit_heuristic(tmp_path, source, expected):
    path = tmp_path / "module.py"
    path.write_text(source)
    assert len(block_kit(path)) == expected
