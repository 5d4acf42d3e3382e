"""Follow-up messages: bot/ passes data and messages/ composes the Block Kit; what the texts and views say."""

import ast
import json
from pathlib import Path

from bot.config.model import Department
from bot.delivery.keys import Ask
from bot.followup import answers as answering
from bot.followup.notices import ask_rows
from messages.followup_form import answer_form, chooser_form
from messages.message import Message
from messages.slack.form import modal
from messages.slack.message import render
from storage.engine import session_scope
from tests.conftest import local
from tests.service_calls import by

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
    rows = ask_rows(example_config, round_, department, person, Ask.OPEN, local(2027, 5, 3, 8, 30))
    blocks = render(Message.from_json(rows[-1]["message"])).blocks
    button = blocks[-1]["elements"][0]
    assert blocks[-1]["block_id"] == "followup_open" and button["action_id"] == "followup_open_form"
    assert json.loads(button["value"]) == {"round": "t1-2027", "department": "it"}
    assert blocks[0]["type"] == "section" and "har öppnat" in blocks[0]["text"]["text"]


def test_texts_say_the_closing_time_not_only_the_day(engine, example_config):
    round_ = example_config.followup_rounds[0]
    department, person = example_config.department("it"), example_config.person("it-chef")
    rows = ask_rows(example_config, round_, department, person, Ask.OPEN, local(2027, 5, 3, 8, 30))
    assert "stänger torsdag 27 maj 2027 kl. 08:30" in rows[0]["text"]
    with session_scope(engine) as session:
        data = answering.form_data(
            **by(session, example_config, person), round_id=round_.id, department_id="it", now=local(2027, 5, 4, 10, 0)
        )
    assert "stänger torsdag 27 maj 2027 kl. 08:30" in modal(answer_form(data))["blocks"][0]["text"]["text"]


def test_a_chooser_with_more_choices_than_a_select_holds_says_so(example_config):
    round_ = example_config.followup_rounds[0]
    departments = [Department(id=f"avd-{n}", name=f"Avdelning {n}", head="it-chef") for n in range(120)]
    view = modal(chooser_form([(round_, department) for department in departments]))
    assert len(view["blocks"][0]["element"]["options"]) == 100
    assert "20 val till ryms inte i listan" in view["blocks"][1]["text"]["text"]
