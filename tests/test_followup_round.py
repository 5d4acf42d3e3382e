"""A whole follow-up round through the real Bolt app and the fake Slack: open, answer, remind, escalate, close."""

import csv
import io
import json

from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.demo.payloads import Answers, button_click, view_submission
from bot.demo.workspace import user_id_for_email
from bot.followup.rounds import indicators_for
from bot.tick import run_tick
from storage.engine import session_scope
from storage.followup import FollowupAnswer, FollowupRevision
from storage.outbox import Delivery
from tests.command_support import later_reply
from tests.conftest import local

IT_HEAD, IT_DEPUTY, SPECIALIST_HEAD, ECONOMY_HEAD, QUALITY = (
    "U0VMKF0010",
    "U0VMKF0011",
    "U0VMKF0012",
    "U0VMKF0016",
    "U0VMKF0002",
)
PAYROLL_HEAD = user_id_for_email("lonechef@vmkf.example")
COMMUNICATOR = user_id_for_email("kommunikator@vmkf.example")


def followup_dms(fake_slack, since: int = 0) -> dict[str, list[dict]]:
    """Follow-up messages posted after the first `since` messages, by channel."""
    found: dict[str, list[dict]] = {}
    for message in fake_slack.posted()[since:]:
        if "uppfoljning" in message["text"] or any(
            block.get("block_id") == "followup_open" for block in message.get("blocks") or []
        ):
            found.setdefault(message["channel"], []).append(message)
    return found


def dm(fake_slack, user_id: str) -> str:
    return fake_slack.dm_channel(user_id)


def wait_for_update(slack, fake_slack, before: int) -> dict:
    """Bolt runs the listener on after ack(); wait for it to finish, and the views.update it made."""
    slack.idle()
    updates = fake_slack.calls_to("views.update")
    assert len(updates) == before + 1
    view = updates[-1].params["view"]
    return view if isinstance(view, dict) else json.loads(view)


def reply(slack, fake_slack, text: str, user_id: str) -> str:
    """A /uppfoljning subcommand: an empty ack at once, then the answer through the response_url."""
    before = len(fake_slack.responses)
    answer = slack.command("/uppfoljning", text, user_id=user_id)
    assert (answer.status, answer.body) == (200, b"")
    response = later_reply(slack, fake_slack, before)
    assert response["response_type"] == "ephemeral"
    return response["text"]


def open_by_command(slack, fake_slack, user_id: str) -> dict:
    before = len(fake_slack.calls_to("views.update"))
    assert slack.command("/uppfoljning", user_id=user_id).status == 200
    return wait_for_update(slack, fake_slack, before)


def press_button(slack, fake_slack, user_id: str, message: dict) -> dict:
    """Click the message's 'Öppna formuläret' button; returns the form that views.update filled in."""
    action_id = next(b for b in message["blocks"] if b.get("block_id") == "followup_open")["elements"][0]["action_id"]
    before = len(fake_slack.calls_to("views.update"))
    click = button_click(user_id, message, action_id, fake_slack.response_url) | {"trigger_id": "trigger-1"}
    answer = slack.interaction(click)  # views.open must be given this trigger_id
    assert answer.status == 200
    return wait_for_update(slack, fake_slack, before)


def by_block(answers: dict[str, dict[str, str | None]]) -> Answers:
    """Answers by indicator and field, as the form's block ids ("indicator|field") take them; the inputs not
    given stay as the form pre-fills them."""
    return {f"{indicator}|{field}": value for indicator, fields in answers.items() for field, value in fields.items()}


def submit(slack, user_id: str, view: dict, answers: dict, view_id: str = "VFORM1") -> dict:
    """Submit the form `view` with `answers` (by indicator and field); the app's answer to it."""
    answer = slack.interaction(view_submission(user_id, view, by_block(answers), view_id))
    assert answer.status == 200
    return answer.json()


def good_answers(config, department_id: str) -> dict[str, dict[str, str]]:
    answers = {}
    for _, indicator in indicators_for(config, department_id):
        value = "Digital lönespecifikation" if indicator.unit == "text" else "88"
        answers[indicator.id] = {"status": "met", "value": value, "comment": "Enligt plan", "actions": None}
    return answers


def answer_count(engine) -> int:
    with session_scope(engine) as session:
        return session.scalar(select(func.count()).select_from(FollowupAnswer))


def test_a_whole_round_in_chat(runtime, slack, fake_slack, clock, engine):
    config = runtime.config

    # The round opens: every department head gets a DM with the form button.
    clock.set(local(2027, 5, 3, 8, 35))
    run_tick(engine, runtime.senders, config, clock.now())
    opened = followup_dms(fake_slack)
    heads = {IT_HEAD, SPECIALIST_HEAD, PAYROLL_HEAD, ECONOMY_HEAD}
    assert set(opened) == {dm(fake_slack, user) for user in heads}
    assert "Tertialuppföljning 1 2027 har öppnat" in opened[dm(fake_slack, IT_HEAD)][0]["text"]

    # The IT head opens the form from the button: views.open first (loading), then the form.
    form = press_button(slack, fake_slack, IT_HEAD, opened[dm(fake_slack, IT_HEAD)][0])
    assert fake_slack.calls_to("views.open")[-1].params["trigger_id"] == "trigger-1"
    assert form["callback_id"] == "followup_form" and len(form["blocks"]) <= 100

    # Invalid input: errors on the right fields, nothing stored.
    answers = good_answers(config, "it")
    answers["nki"] = {"status": "at_risk", "value": "sjuttio", "comment": "Färre svar", "actions": ""}
    answers["it-svarstid"] = {"status": "met", "value": "130 %"}
    errors = submit(slack, IT_HEAD, form, answers)
    assert errors["response_action"] == "errors"
    assert set(errors["errors"]) == {"nki|value", "nki|actions", "it-svarstid|value"}
    assert "mellan 0 och 100" in errors["errors"]["it-svarstid|value"]
    assert answer_count(engine) == 0

    # Corrected: stored, confirmed.
    answers["nki"] = {"status": "at_risk", "value": "66,5", "comment": "Färre svar", "actions": "Kundträffar i maj"}
    answers["it-svarstid"] = {"status": "partly_met", "value": "82"}
    saved = submit(slack, IT_HEAD, form, answers)
    assert saved["response_action"] == "update" and "sparade" in saved["view"]["blocks"][0]["text"]["text"]
    assert answer_count(engine) == 7

    # The same submission again (a retry) is stored once.
    again = submit(slack, IT_HEAD, form, answers)
    assert "redan sparade" in again["view"]["blocks"][0]["text"]["text"]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(FollowupRevision)) == 7

    # The deputy edits one answer through /uppfoljning; the form comes back pre-filled.
    edit_form = open_by_command(slack, fake_slack, IT_DEPUTY)
    prefilled = {b["block_id"]: b["element"].get("initial_value") for b in edit_form["blocks"] if b["type"] == "input"}
    assert prefilled["nki|value"] == "66,5"
    submit(slack, IT_DEPUTY, edit_form, {"nki": {"value": "68"}}, view_id="VFORM2")
    with session_scope(engine) as session:
        nki = session.scalars(select(FollowupAnswer).where(FollowupAnswer.indicator_id == "nki")).one()
        assert (nki.value_number, nki.revision, nki.submitted_by) == (68.0, 2, "it-stf")

    # Someone who is not the head or deputy gets a polite refusal, and nothing changes.
    refused = submit(slack, COMMUNICATOR, form, {"nki": {"value": "99"}}, view_id="VFORM3")
    assert "inte behörighet" in refused["view"]["blocks"][0]["text"]["text"]
    with session_scope(engine) as session:
        assert (
            session.scalars(select(FollowupAnswer.value_number).where(FollowupAnswer.indicator_id == "nki")).one()
            == 68.0
        )

    # Payroll (head known only by e-mail) answers from /uppfoljning.
    payroll_form = open_by_command(slack, fake_slack, PAYROLL_HEAD)
    submit(slack, PAYROLL_HEAD, payroll_form, good_answers(config, "loner"), view_id="VFORM4")

    # Reminder five working days before the deadline: only those who have not answered.
    posted = len(fake_slack.posted())
    clock.set(local(2027, 5, 13, 8, 35))
    run_tick(engine, runtime.senders, config, clock.now())
    reminded = followup_dms(fake_slack, posted)
    assert set(reminded) == {dm(fake_slack, SPECIALIST_HEAD), dm(fake_slack, ECONOMY_HEAD)}
    assert "Påminnelse" in reminded[dm(fake_slack, SPECIALIST_HEAD)][0]["text"]

    # Status: the quality manager sees every department.
    status = reply(slack, fake_slack, "status", QUALITY)
    assert (
        "IT-avdelningen" in status and "klar" in status and "Ekonomiavdelningen" in status and "inte svarat" in status
    )

    # Escalation the working day after the deadline: the quality manager hears who is missing, they get one more.
    posted = len(fake_slack.posted())
    clock.set(local(2027, 5, 21, 8, 35))
    run_tick(engine, runtime.senders, config, clock.now())
    escalated = followup_dms(fake_slack, posted)
    assert set(escalated) == {dm(fake_slack, SPECIALIST_HEAD), dm(fake_slack, ECONOMY_HEAD)}
    # the ordinary reminder of 19 May fell due in the same pass; only the final one goes out
    assert [m["text"].splitlines()[0] for m in escalated[dm(fake_slack, SPECIALIST_HEAD)]] == [
        "*Sista påminnelsen: Tertialuppföljning 1 2027*"
    ]
    to_quality = [m for m in fake_slack.posted()[posted:] if m["channel"] == dm(fake_slack, QUALITY)]
    assert len(to_quality) == 1 and "2 avdelningar saknas" in to_quality[0]["text"]
    assert "Specialistavdelningen" in to_quality[0]["text"] and "IT-avdelningen" not in to_quality[0]["text"]

    # The round closes: summary to the quality manager, digest to the board, with CSV and Excel attached.
    posted = len(fake_slack.posted())
    clock.set(local(2027, 5, 27, 8, 35))
    run_tick(engine, runtime.senders, config, clock.now())
    closing = fake_slack.posted()[posted:]
    summary = [m for m in closing if m["channel"] == dm(fake_slack, QUALITY)]
    digest = [m for m in closing if m["channel"] == "C0DIREKTIO"]
    assert summary and "Sammanställning: Tertialuppföljning 1 2027" in summary[0]["text"]
    assert "Nöjd kund-index" in " ".join(m["text"] for m in summary)
    assert "Kundträffar i maj" in " ".join(m["text"] for m in digest)
    files = fake_slack.shared_files
    assert sorted((f["channel"], f["name"]) for f in files) == sorted(
        [
            (dm(fake_slack, QUALITY), "uppfoljning-t1-2027.csv"),
            (dm(fake_slack, QUALITY), "uppfoljning-t1-2027.xlsx"),
            ("C0DIREKTIO", "uppfoljning-t1-2027.csv"),
            ("C0DIREKTIO", "uppfoljning-t1-2027.xlsx"),
        ]
    )
    csv_file = next(f for f in files if f["name"].endswith(".csv"))
    table = list(csv.reader(io.StringIO(csv_file["content"].decode("utf-8-sig")), delimiter=";"))
    assert len(table) == 1 + 7 + len(indicators_for(config, "loner"))
    nki_row = next(row for row in table if row[2].startswith("Nöjd kund-index") and row[5] == "IT-avdelningen")
    assert nki_row[6:8] == ["Befaras ej uppnås", "68"]
    workbook = load_workbook(io.BytesIO(next(f for f in files if f["name"].endswith(".xlsx"))["content"]))
    assert workbook["Svar"].max_row == len(table)
    changes = [[cell.value for cell in row] for row in workbook["Ändringar"].iter_rows(min_row=2)]
    assert len(changes) == 7 + 1 + len(indicators_for(config, "loner"))  # the IT deputy changed one answer
    nki_edit = next(row for row in changes if row[1].startswith("Nöjd kund-index") and row[2] == 2)
    assert (nki_edit[0], nki_edit[3]) == ("IT-avdelningen", config.person("it-stf").name)
    assert nki_edit[5] == "Värde: 66,5 → 68"

    # A later tick sends nothing more for the round.
    posted = len(fake_slack.posted())
    run_tick(engine, runtime.senders, config, local(2027, 5, 27, 9, 35))
    assert followup_dms(fake_slack, posted) == {}
    with session_scope(engine) as session:
        failed = session.scalars(select(Delivery).where(Delivery.status == "failed")).all()
    assert failed == []
