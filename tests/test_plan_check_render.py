"""`plan check` renders each plan message as a tick would, so a message that fails on every occurrence is an error."""

from datetime import timedelta

import pytest
import yaml

from bot.cli import main
from bot.config import load_config
from bot.plan.occurrences import occurrences_between
from bot.tick import run_tick
from tests.conftest import EXAMPLE, local


def _plan_index(rule: bool) -> int:
    plan = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))["plan"]
    return next(index for index, item in enumerate(plan) if ("rrule" in item["schedule"]) == rule)


def _with_message(tmp_path, index: int, message: str):
    """The example file with plan[index]'s message replaced (the YAML block kept, so line numbers stay)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    head, plan = text.split("\nplan:\n", 1)
    items = plan.split("\n  - id: ")
    lines = items[index].split("\n")
    start = next(n for n, line in enumerate(lines) if line.startswith("    message:"))
    end = next((n for n in range(start + 1, len(lines)) if lines[n] and not lines[n].startswith("      ")), len(lines))
    quoted = yaml.safe_dump(message, default_style='"', width=1000).strip()
    lines[start:end] = [f"    message: {quoted}"]
    items[index] = "\n".join(lines)
    path = tmp_path / "samverkan.yaml"
    path.write_text(head + "\nplan:\n" + "\n  - id: ".join(items), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("rule", "message", "reason"),
    [
        (True, "Mötet är {{ event.date | datum }}.", "'None' has no attribute 'date'"),
        (False, "Det blir {{ 1/0 }} punkter.", "division by zero"),
        (True, "{% for i in range(100000000) %}x{% endfor %}", "Range too big"),
    ],
)
def test_plan_check_reports_a_message_that_fails_on_every_occurrence(tmp_path, capsys, rule, message, reason):
    index = _plan_index(rule)
    path = _with_message(tmp_path, index, message)
    assert main(["plan", "check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"plan[{index}].message" in err and reason in err and "OK" not in err


def test_plan_check_reports_a_failing_message_with_the_other_errors(tmp_path, capsys):
    index = _plan_index(True)
    path = _with_message(tmp_path, index, "{{ event.title }}")
    # another item's owner misspelt (forbundsnytt, plan[3])
    path.write_text(path.read_text(encoding="utf-8").replace("owner: kommunikator", "owner: kommunikatr", 1))
    assert main(["plan", "check", "--config", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"plan[{index}].message" in err and "plan[3].owner: unknown person 'kommunikatr'" in err


def test_plan_check_passes_a_message_that_guards_what_may_be_missing(tmp_path, capsys):
    index = _plan_index(True)
    path = _with_message(tmp_path, index, "{% if event %}{{ event.date | datum }}{% endif %}{{ at | datum }}")
    assert main(["plan", "check", "--config", str(path)]) == 0
    assert "OK" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("message", "cause", "raw"),
    [
        ("Mötet är {{ event.date | datum }}.", "en uppgift som inte finns för den här punkten (`event`)", "attribute"),
        ("Det blir {{ 1/0 }} punkter.", "en beräkning som inte går (division med noll)", "division by zero"),
        ("{% for i in range(100000000) %}x{% endfor %}", "en loop som är för stor", "Range too big"),
    ],
)
def test_the_owner_is_told_in_swedish_what_is_wrong_with_the_message(
    tmp_path, runtime, fake_slack, message, cause, raw
):
    index = _plan_index(True)
    config = load_config(_with_message(tmp_path, index, message))
    item = config.plan[index]
    [first, *_] = occurrences_between(config, local(2027, 2, 1), local(2027, 4, 1), [item])
    report = run_tick(runtime.engine, runtime.senders, config, first.at + timedelta(minutes=1))

    assert [occurrence.item.id for occurrence, _ in report.queued[0].failed] == [item.id]
    owner = config.person(item.owner)
    [text] = [
        m["text"] for m in fake_slack.messages_in(fake_slack.dm_channel(owner.slack_id)) if "kunde inte" in m["text"]
    ]
    assert f"Utskicket kunde inte skapas: {item.title}" in text
    assert cause in text and raw not in text
    assert "`samverkan plan check`" in text
