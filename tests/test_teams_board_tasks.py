"""The Rapportera dialog in Teams over HTTP, where the chat fixture's happy path does not reach: a button value or
a submitted form Teams would not send is answered in the dialog with the polite Swedish note and one log line, and
nothing is stored."""

from datetime import date

from tests.board_task_support import FEBRUARY, add_decision, release, reports
from tests.conftest import local
from tests.teams_support import filled
from tests.test_teams_triage import MALFORMED, dialog_form

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

OWNER = "U0VMKF0010"  # it-chef


def test_broken_report_dialogs_are_refused_politely_and_store_nothing(teams_world, engine, caplog):
    world = teams_world
    task = add_decision(engine, FEBRUARY, 1, "Ny plattform", owner="it-chef", due=date(2027, 4, 30))
    release(engine, FEBRUARY)
    world.runtime.clock.set(local(2027, 3, 1, 9, 0))
    chat, verb = world.chat(OWNER), f"board_task_report:{task}"
    broken_fetches = [
        {"verb": verb, "value": "x"},  # not JSON
        {"verb": verb, "value": "{}"},  # no decision
        {"verb": verb, "value": '{"decision": "1"}'},  # a decision that is not a number
        {"verb": verb, "value": 12},  # not a text
    ]
    answers = [world.fetch_dialog(OWNER, data, chat) for data in broken_fetches]
    form = dialog_form(world.fetch_dialog(OWNER, {"verb": verb, "value": f'{{"decision": {task}}}'}, chat))
    good = filled(form, {"kind": "done"})
    broken_submits = [
        {key: value for key, value in good.items() if key != "metadata"},  # no decision
        {key: value for key, value in good.items() if key != "fields"},  # no field list
        {**good, "metadata": {**good["metadata"], "decision": str(task)}},  # a decision that is not a number
    ]
    answers += [world.submit_dialog(OWNER, data, chat) for data in broken_submits]
    for answer in answers:
        assert answer == {"type": "message", "value": MALFORMED}, answer
    assert caplog.text.count("malformed Teams request (invoke task/") == len(answers)
    assert reports(engine, task) == []
    saved = world.submit_dialog(OWNER, good, chat)
    assert saved is not None and saved["type"] == "message" and "Rapporten är sparad" in saved["value"]
    assert len(reports(engine, task)) == 1
    missing = world.fetch_dialog(OWNER, {"verb": "board_task_report:999", "value": '{"decision": 999}'}, chat)
    assert missing["type"] == "message" and "Det finns ingen uppgift att rapportera" in missing["value"]
