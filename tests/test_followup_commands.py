"""/uppfoljning subcommands, the chooser, paging of long forms, and refusals, through the real app."""

import json
import threading

from sqlalchemy import func, select

from bot.config.followup_model import Goal, Indicator
from bot.demo.payloads import block_action, view_submission
from bot.followup import answers as answering
from bot.followup import service
from bot.followup.validation import AnswerInput
from bot.tick import run_tick
from messages.slack.form import MODAL_BLOCK_LIMIT
from storage import followup as store
from storage.engine import session_scope
from storage.followup import FollowupAnswer
from tests.command_support import later_reply
from tests.conftest import local
from tests.service_calls import by
from tests.test_followup_round import (
    COMMUNICATOR,
    ECONOMY_HEAD,
    IT_HEAD,
    QUALITY,
    followup_dms,
    good_answers,
    open_by_command,
    reply,
    submit,
)

DIRECTOR = "U0VMKF0001"
PAGE_SIZE = (MODAL_BLOCK_LIMIT - 1) // 6  # indicators on a full page: the header, then six blocks each
OPEN = local(2027, 5, 4, 10, 0)


def text_of(answer) -> str:
    assert answer.status == 200
    return answer.json()["text"]


def test_form_outside_any_round_says_when_the_next_opens(slack, fake_slack, clock):
    clock.set(local(2027, 2, 1, 10, 0))
    notice = open_by_command(slack, fake_slack, IT_HEAD)
    text = notice["blocks"][0]["text"]["text"]
    assert "Ingen uppföljning är öppen" in text and "Tertialuppföljning 1 2027" in text and "3 maj 2027" in text


def test_someone_without_a_department_is_told_so(slack, fake_slack, clock):
    clock.set(OPEN)
    notice = open_by_command(slack, fake_slack, COMMUNICATOR)
    assert "svarar inte för någon avdelning" in notice["blocks"][0]["text"]["text"]


def test_delegation_by_mention_then_the_delegate_chooses_a_department(runtime, slack, fake_slack, clock):
    clock.set(OPEN)
    handed = reply(slack, fake_slack, f"delegera <@{IT_HEAD}|it-chef>", ECONOMY_HEAD)
    assert "IT-chefen (exempel) svarar nu för Ekonomiavdelningen" in handed
    posted = len(fake_slack.posted())
    run_tick(runtime.engine, runtime.senders, runtime.config, OPEN)
    handed = followup_dms(fake_slack, posted)[fake_slack.dm_channel(IT_HEAD)]
    assert "du svarar för Ekonomiavdelningen" in handed[0]["text"]

    chooser = open_by_command(slack, fake_slack, IT_HEAD)
    assert chooser["callback_id"] == "followup_choose"
    options = [o["value"] for o in chooser["blocks"][0]["element"]["options"]]
    assert options == ["t1-2027|it", "t1-2027|ekonomi"]
    answer = slack.interaction(view_submission(IT_HEAD, chooser, {"choice": "t1-2027|ekonomi"}, "VCHOOSE")).json()
    assert answer["response_action"] == "update"
    assert json.loads(answer["view"]["private_metadata"])["department"] == "ekonomi"


def test_delegation_refusals(slack, fake_slack, clock):
    clock.set(OPEN)
    assert "ingen ställföreträdare" in reply(slack, fake_slack, "delegera", ECONOMY_HEAD)
    assert "hittar inte" in reply(slack, fake_slack, "delegera <@UNOBODY1>", ECONOMY_HEAD)
    assert "inte behörighet" in reply(slack, fake_slack, "delegera", QUALITY)


def test_report_on_request_by_the_quality_manager_only(runtime, slack, fake_slack, clock):
    clock.set(OPEN)
    assert "inte behörighet" in reply(slack, fake_slack, "rapport", DIRECTOR)
    assert "skickas till dig" in reply(slack, fake_slack, "rapport", QUALITY)
    posted = len(fake_slack.posted())
    run_tick(runtime.engine, runtime.senders, runtime.config, OPEN)
    channels = {
        m["channel"]
        for m in fake_slack.posted()[posted:]
        if m["text"].startswith(
            ("*Sammanställning: Tertialuppföljning 1 2027", "*Tertialuppföljning 1 2027: mål i risk")
        )
    }
    assert channels == {fake_slack.dm_channel(QUALITY), "C0DIREKTIO"}
    assert len(fake_slack.shared_files) == 4


def test_history_and_status_refusals_and_help(slack, fake_slack, clock):
    clock.set(OPEN)
    assert "inte behörighet" in reply(slack, fake_slack, "historik nki", COMMUNICATOR)
    assert "inte behörighet" in reply(slack, fake_slack, "status", COMMUNICATOR)
    unknown = reply(slack, fake_slack, "historik kundnöjdhet", DIRECTOR)
    assert "hittar ingen enskild indikator" in unknown and "`nki`" in unknown
    assert "Inga svar finns ännu" in reply(slack, fake_slack, "historik sjukfrånvaro", DIRECTOR)
    assert "känner inte igen `nåt`" in text_of(slack.command("/uppfoljning", "nåt", user_id=DIRECTOR))
    clock.set(local(2027, 7, 1, 10, 0))
    assert "Ingen uppföljning är öppen" in reply(slack, fake_slack, "status", QUALITY)


def test_a_long_form_is_split_into_pages_and_each_page_is_saved(runtime, slack, fake_slack, clock, engine):
    indicators = [Indicator(id=f"ind-{n:02d}", name=f"Indikator {n}", unit="number", target="<= 5") for n in range(40)]
    runtime.config = runtime.config.model_copy(
        update={"goals": [Goal(id="stort", name="Stort mål", indicators=indicators)]}
    )
    clock.set(OPEN)
    first = open_by_command(slack, fake_slack, IT_HEAD)
    assert len(first["blocks"]) <= MODAL_BLOCK_LIMIT
    assert json.loads(first["private_metadata"])["pages"] == 3
    answers = {f"ind-{n:02d}": {"status": "met", "value": "3"} for n in range(40)}
    second = submit(slack, IT_HEAD, first, answers)
    assert second["response_action"] == "update" and json.loads(second["view"]["private_metadata"])["page"] == 1
    assert "Sida 2 av 3" in second["view"]["blocks"][0]["text"]["text"]
    with session_scope(engine) as session:
        assert session.scalar(select(func.count()).select_from(FollowupAnswer)) == PAGE_SIZE


def test_hand_over_outside_a_round_and_unknown_people(slack, fake_slack, clock):
    clock.set(local(2027, 7, 1, 10, 0))
    outside = reply(slack, fake_slack, "delegera", ECONOMY_HEAD)
    assert "Ingen uppföljning är öppen" in outside and "Delårsuppföljning 2027" in outside
    assert "hittar dig inte" in reply(slack, fake_slack, "status", "UNOBODY1")


def test_a_submission_that_keeps_colliding_keeps_the_typed_answers_and_asks_to_save_again(
    runtime, slack, fake_slack, clock, engine, monkeypatch
):
    clock.set(OPEN)
    form = open_by_command(slack, fake_slack, IT_HEAD)
    with session_scope(engine) as session:
        inputs = {"nki": AnswerInput(status="met", value="75")}
        deputy = by(session, runtime.config, runtime.config.person("it-stf"))
        answering.submit(**deputy, round_id="t1-2027", department_id="it", inputs=inputs, now=OPEN, request_key="k0")
    monkeypatch.setattr(store, "answers_for", lambda session, round_ids, department_id: [])
    answer = submit(slack, IT_HEAD, form, good_answers(runtime.config, "it"))
    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == ["nki|status"] and "Spara igen" in answer["errors"]["nki|status"]


def test_the_report_command_is_acked_before_the_report_is_compiled(slack, fake_slack, clock, monkeypatch):
    clock.set(OPEN)
    acked, seen = threading.Event(), []
    real = service.compile_summary

    def slow_compile(session, config, round_):
        seen.append(acked.wait(timeout=5))  # the ack must not wait for this
        return real(session, config, round_)

    monkeypatch.setattr(service, "compile_summary", slow_compile)
    answer = slack.command("/uppfoljning", "rapport", user_id=QUALITY)
    acked.set()
    assert (answer.status, answer.body) == (200, b"")
    assert "skickas till dig" in later_reply(slack, fake_slack, 0)["text"]
    assert seen == [True]


def test_an_expired_trigger_or_a_refused_form_is_told_to_the_user(slack, fake_slack, clock):
    clock.set(OPEN)
    fake_slack.fail_next("views.open", status=200, error="expired_trigger_id")
    assert slack.command("/uppfoljning", user_id=IT_HEAD).status == 200
    told = later_reply(slack, fake_slack, 0)
    assert "hann inte öppnas" in told["text"] and told["response_type"] == "ephemeral"

    fake_slack.fail_next("views.update", status=200, error="invalid_arguments")
    assert slack.command("/uppfoljning", user_id=IT_HEAD).status == 200
    told = later_reply(slack, fake_slack, 1)
    assert "kunde inte visas" in told["text"]
    notice = fake_slack.calls_to("views.update")[-1].params["view"]
    assert "kunde inte visas" in json.dumps(notice if isinstance(notice, dict) else json.loads(notice))


def test_a_form_that_cannot_open_from_the_home_tab_is_told_in_the_chat_with_the_app(slack, fake_slack, clock):
    """A button in the Home tab comes without a response_url: the Swedish notice goes to the app's DM instead."""
    clock.set(OPEN)
    fake_slack.fail_next("views.open", status=200, error="expired_trigger_id")
    value = json.dumps({"round": "t1-2027", "department": "it"})
    click = block_action(IT_HEAD, "followup_open_form", value, "", "", "", block_id="followup_open")
    del click["response_url"], click["channel"]
    click["container"] = {"type": "view", "view_id": "V0HOME"}
    click["view"] = {"id": "V0HOME", "type": "home", "callback_id": ""}
    assert slack.interaction(click).status == 200
    slack.idle()
    [told] = fake_slack.messages_in(fake_slack.dm_channel(IT_HEAD))
    assert "hann inte öppnas" in told["text"]
