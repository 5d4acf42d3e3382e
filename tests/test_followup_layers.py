"""The follow-up domain passes data; messages/ composes the Block Kit (DESIGN.md: bot/ knows no Block Kit)."""

import ast
import json
from pathlib import Path

from bot.followup.notices import ask_rows
from tests.conftest import local

BLOCK_KIT_WORDS = {"blocks", "button", "elements", "block_id", "action_id"}  # not "actions": a form field


def test_the_follow_up_domain_builds_no_block_kit():
    for path in sorted((Path(__file__).resolve().parent.parent / "bot" / "followup").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        words = {
            node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and node.value in BLOCK_KIT_WORDS
        }
        assert words == set(), f"{path.name} builds Block Kit: {sorted(words)}"


def test_an_invitation_carries_the_form_button_under_its_last_part(example_config):
    round_ = example_config.followup_rounds[0]
    department = example_config.department("it")
    person = example_config.person("it-chef")
    rows = ask_rows(example_config, round_, department, person, "open", "open:it", local(2027, 5, 3, 8, 30))
    blocks = json.loads(rows[-1]["blocks"])
    button = blocks[-1]["elements"][0]
    assert blocks[-1]["block_id"] == "followup_open" and button["action_id"] == "followup_open_form"
    assert json.loads(button["value"]) == {"round": "t1-2027", "department": "it"}
    assert blocks[0]["type"] == "section" and "har öppnat" in blocks[0]["text"]["text"]
