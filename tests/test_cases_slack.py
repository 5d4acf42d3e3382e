"""The case flow in chat: the real Bolt app over HTTP, signed requests, the fake Slack Web API."""

import json

from sqlmodel import select

from bot.delivery.keys import plan_occurrence
from bot.delivery.outbox_rows import message_rows
from bot.demo.workspace import user_id_for_email
from bot.people import Recipient
from messages.message import Message
from storage import outbox
from storage.cases import FeedbackCase
from storage.engine import session_scope
from storage.outbox import Delivery
from tests.cases_support import (
    REPORTER,
    button_click,
    message_shortcut,
    report_submission,
    select_submission,
    text_submission,
)
from tests.conftest import local

TRIAGE = "C0VMKFITTR"


def _view_calls(fake_slack) -> list:
    return [call for call in fake_slack.calls if call.method in ("views.open", "views.update")]


def _opened_view(slack, fake_slack) -> dict:
    """The last view shown (opened, or filled in after a loading modal), once the app is idle."""
    slack.idle()
    calls = [c for c in _view_calls(fake_slack) if "Hämtar" not in str(c.params["view"])]
    if not calls:
        return {}
    view = calls[-1].params["view"]
    return json.loads(view) if isinstance(view, str) else view


def _all_text(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        parts.append(json.dumps(block, ensure_ascii=False))
    return "\n".join(parts)


def _cases(engine) -> list[FeedbackCase]:
    with session_scope(engine) as session:
        return list(session.exec(select(FeedbackCase).order_by(FeedbackCase.id)).all())


def _triage_message(fake_slack, channel: str = TRIAGE) -> dict | None:
    return next((m for m in fake_slack.posted() if m["channel"] == channel), None)


def _all_sent(engine) -> bool:
    with session_scope(engine) as session:
        rows = session.exec(select(Delivery).where(Delivery.source == "case")).all()
    return bool(rows) and all(row.status == "sent" for row in rows)


def _report(slack, fake_slack, runtime, channel: str = TRIAGE, **form) -> FeedbackCase:
    """Submit the form and wait until the receipt and the triage post are sent and recorded."""
    answer = slack.interaction(report_submission(REPORTER, **form))
    assert answer.status == 200
    assert answer.json()["response_action"] == "update"
    slack.idle()
    assert _all_sent(runtime.engine)
    assert _triage_message(fake_slack, channel)
    return _cases(runtime.engine)[-1]


def test_command_opens_the_form_with_the_public_document_notice(slack, fake_slack):
    answer = slack.command("/synpunkt", user_id=REPORTER)
    assert answer.status == 200
    view = _opened_view(slack, fake_slack)
    assert view["callback_id"] == "case_report"
    text = _all_text(view["blocks"])
    assert "allmän handling" in text and "anonym" in text
    block_ids = [block.get("block_id") for block in view["blocks"] if block["type"] == "input"]
    assert block_ids == ["category", "subject", "member", "description", "sensitive", "contact", "anonymous"]
    categories = [option["value"] for option in view["blocks"][1]["element"]["options"]]
    assert categories == ["klagomal", "synpunkt", "forslag", "berom", "fraga"]
    groups = view["blocks"][2]["element"]["option_groups"]
    assert "service:it-drift" in [o["value"] for o in groups[0]["options"]]
    assert "department:ekonomi" in [o["value"] for o in groups[1]["options"]]


def test_submitting_the_form_registers_and_sends_the_receipt_at_once(slack, fake_slack, runtime):
    answer = slack.interaction(report_submission(REPORTER))
    body = answer.json()
    assert body["response_action"] == "update"
    assert "VMKF 2027-0001" in _all_text(body["view"]["blocks"])
    dm = fake_slack.dm_channel(REPORTER)
    slack.idle()
    receipt = [m for m in fake_slack.posted() if m["channel"] == dm]
    assert receipt and "VMKF 2027-0001" in receipt[0]["text"]
    triage = _triage_message(fake_slack)
    assert "Skrivarna i stadshuset" in _all_text(triage["blocks"])
    (case,) = _cases(runtime.engine)
    assert (case.reporter_user_id, case.department_id, case.member_id) == (REPORTER, "it", "arboga")


def test_bad_form_input_is_answered_with_field_errors_and_nothing_is_stored(slack, runtime):
    answer = slack.interaction(report_submission(REPORTER, subject=None, description="  "))
    body = answer.json()
    assert body["response_action"] == "errors"
    assert body["errors"] == {
        "subject": "Välj en tjänst eller avdelning i listan.",
        "description": "Beskriv vad det gäller.",
    }
    answer = slack.interaction(report_submission(REPORTER, anonymous=True, contact="070-111 22 33"))
    assert "anonym" in answer.json()["errors"]["contact"]
    assert _cases(runtime.engine) == []


def test_message_shortcut_prefills_the_form_with_the_message_and_its_link(slack, fake_slack, runtime):
    text = "Lönebeskedet för januari kom aldrig fram till oss i Surahammar."
    answer = slack.interaction(message_shortcut(REPORTER, text))
    assert answer.status == 200
    view = _opened_view(slack, fake_slack)
    description = next(b for b in view["blocks"] if b.get("block_id") == "description")
    assert description["element"]["initial_value"] == text
    link = "https://fake.slack.com/archives/C0ARBOGA01/p1790000000000200"
    assert link in _all_text(view["blocks"])
    case = _report(
        slack,
        fake_slack,
        runtime,
        channel="C0VMKFLOTR",
        subject="service:lon",
        member="surahammar",
        description=text,
        private_metadata=view["private_metadata"],
    )
    assert (case.source_link, case.department_id) == (link, "loner")
    triage = next(m for m in fake_slack.posted() if m["channel"] == "C0VMKFLOTR")
    assert link in _all_text(triage["blocks"])


def test_department_takes_answers_and_closes_in_chat(slack, fake_slack, runtime):
    case = _report(slack, fake_slack, runtime)
    value = str(case.id)
    assert slack.interaction(button_click("U0VMKF0010", "case_take", value, fake_slack.response_url)).status == 200
    slack.idle()
    update = fake_slack.calls_to("chat.update")
    assert update and "Status: Tagen" in _all_text(_triage_message(fake_slack)["blocks"])

    slack.interaction(button_click("U0VMKF0010", "case_assign", value, fake_slack.response_url))
    assert _opened_view(slack, fake_slack)["callback_id"] == "case_assign"
    assignees = [o["value"] for o in _opened_view(slack, fake_slack)["blocks"][0]["element"]["options"]]
    assert assignees == ["it-stf", "it-chef", "kvalitetschef", "forbundschef"]
    answer = slack.interaction(select_submission("U0VMKF0010", "case_assign", case.id, "assignee", "it-stf"))
    assert answer.status == 200 and not answer.body

    slack.interaction(button_click("U0VMKF0011", "case_answer", value, fake_slack.response_url))
    assert _opened_view(slack, fake_slack)["callback_id"] == "case_answer"
    reply = "Vi har bytt skrivarna. Hör av dig om det krånglar igen."
    slack.interaction(text_submission("U0VMKF0011", "case_answer", case.id, "answer", reply))
    dm = fake_slack.dm_channel(REPORTER)
    slack.idle()
    assert [m for m in fake_slack.posted() if m["channel"] == dm and reply in m["text"]]

    slack.interaction(text_submission("U0VMKF0011", "case_close", case.id, "resolution", "Skrivare utbytta."))
    slack.idle()
    assert "Status: Stängd" in _all_text(_triage_message(fake_slack)["blocks"])
    (stored,) = _cases(runtime.engine)
    assert (stored.status, stored.assignee, stored.answer) == ("closed", "it-stf", reply)
    buttons = [b for b in _triage_message(fake_slack)["blocks"] if b["type"] == "actions"][0]["elements"]
    assert [b["action_id"] for b in buttons] == ["case_reopen", "case_confidential"]


def test_others_are_refused_in_chat(slack, fake_slack, runtime):
    case = _report(slack, fake_slack, runtime)
    outsider = "U0VMKF0012"  # head of another department
    slack.interaction(button_click(outsider, "case_take", str(case.id), fake_slack.response_url))
    slack.idle()
    refusals = fake_slack.responses
    assert [r["text"].startswith("Tyvärr, du har inte behörighet") for r in refusals] == [True]
    for action_id in ("case_answer", "case_close", "case_assign"):  # forms: the loading modal shows the refusal
        slack.interaction(button_click(outsider, action_id, str(case.id), fake_slack.response_url))
    slack.idle()
    updates = fake_slack.calls_to("views.update")
    assert len(updates) == 3
    assert all("Tyvärr, du har inte behörighet" in json.dumps(u.params["view"], ensure_ascii=False) for u in updates)
    answer = slack.interaction(text_submission(outsider, "case_answer", case.id, "answer", "Jag svarar ändå"))
    assert answer.json()["response_action"] == "errors"
    assert "behörighet" in answer.json()["errors"]["answer"]
    (stored,) = _cases(runtime.engine)
    assert (stored.status, stored.answer) == ("new", None)


def test_confidential_case_is_shown_only_to_handlers(slack, fake_slack, runtime):
    case = _report(slack, fake_slack, runtime)
    slack.interaction(button_click("U0VMKF0002", "case_confidential", str(case.id), fake_slack.response_url))
    slack.idle()
    assert "Skrivarna" not in _all_text(_triage_message(fake_slack)["blocks"])
    slack.interaction(button_click("U0VMKF0011", "case_show", str(case.id), fake_slack.response_url))
    slack.idle()
    shown = fake_slack.responses
    assert "Skrivarna i stadshuset" in shown[-1]["text"]
    slack.interaction(button_click("U0VMKF0020", "case_show", str(case.id), fake_slack.response_url))
    slack.idle()
    refused = fake_slack.responses
    assert len(refused) == 2
    assert "behörighet" in refused[-1]["text"] and "Skrivarna" not in refused[-1]["text"]


def test_help_and_unknown_arguments(slack):
    assert "/synpunkt statistik" in slack.command("/synpunkt", "hjälp").json()["text"]
    body = slack.command("/synpunkt", "nånting").json()
    assert 'Jag förstår inte "nånting"' in body["text"]
    assert 'Jag förstår inte "statistik förra"' in slack.command("/synpunkt", "statistik förra").json()["text"]
    assert 'Jag förstår inte "statistik 1999"' in slack.command("/synpunkt", "statistik 1999").json()["text"]


def test_buttons_of_a_removed_or_garbled_case_say_so(slack, fake_slack):
    for action_id, value in (("case_take", "999"), ("case_answer", "x"), ("case_show", "")):
        slack.interaction(button_click("U0VMKF0010", action_id, value, fake_slack.response_url))
    slack.idle()
    replies = fake_slack.responses
    texts = sorted(reply["text"][:37] for reply in replies)
    assert texts == ["Samverkan kunde inte läsa din begäran"] * 2 + ["Ärendet finns inte längre."]


def test_without_a_cases_section_the_command_says_so(slack, runtime, engine):
    runtime.config = runtime.config.model_copy(update={"cases": None})
    assert "inte igång" in slack.command("/synpunkt").json()["text"]
    answer = slack.interaction(report_submission(REPORTER))
    assert "inte igång" in answer.json()["errors"]["description"]
    assert _cases(engine) == []


def test_a_report_marked_sensitive_is_posted_restricted_from_the_start(slack, fake_slack, runtime):
    case = _report(slack, fake_slack, runtime, sensitive=True)
    assert case.confidential
    triage = _triage_message(fake_slack)
    shown = triage["text"] + _all_text(triage["blocks"])
    assert "VMKF 2027-0001" in shown and "Klagomål" in shown
    for secret in ("Skrivarna", "Arboga", REPORTER, "IT-drift"):
        assert secret not in shown
    buttons = [e["action_id"] for b in triage["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert "case_show" in buttons
    slack.interaction(button_click("U0VMKF0011", "case_show", str(case.id), fake_slack.response_url))
    slack.idle()
    shown = fake_slack.responses
    assert "Skrivarna i stadshuset" in shown[-1]["text"] and "Sekretessmarkerad vid anmälan" in shown[-1]["text"]


def _other_feature_row(runtime) -> int:
    """A due row of another feature, which the tick (not a case request) must send."""
    rows = message_rows(
        key=plan_occurrence("nyhetsbrev", "2027-01-01"),
        recipient=Recipient("channel:C0VMKFIT01", "C0VMKFIT01", "IT"),
        message=Message(text="Nyhetsbrevet är ute."),
        due_at=local(2026, 12, 31, 9, 0),
        now=local(2026, 12, 31, 9, 0),
        owner=None,
    )
    with session_scope(runtime.engine) as session:
        outbox.enqueue(session, rows)
        return session.exec(select(Delivery).where(Delivery.source == "plan")).one().id


def test_a_case_request_sends_only_that_case_s_messages(slack, fake_slack, runtime):
    other = _other_feature_row(runtime)
    case = _report(slack, fake_slack, runtime)
    reply = "Vi har bytt skrivarna."
    slack.interaction(text_submission("U0VMKF0011", "case_answer", case.id, "answer", reply))
    dm = fake_slack.dm_channel(REPORTER)
    slack.idle()
    assert [m for m in fake_slack.posted() if m["channel"] == dm and reply in m["text"]]
    with session_scope(runtime.engine) as session:
        assert session.get(Delivery, other).status == "pending"
    assert "Nyhetsbrevet" not in str(fake_slack.posted())


def test_forms_open_before_any_slow_work_uses_up_the_trigger(slack, fake_slack, runtime):
    """views.open comes first (a trigger_id lives 3 s); looking the user up and the permalink come after."""
    slack.interaction(message_shortcut(REPORTER, "Lönen kom inte."))
    slack.idle()
    assert fake_slack.calls_to("views.update")
    methods = [call.method for call in fake_slack.calls]
    assert methods.index("views.open") < methods.index("chat.getPermalink") < methods.index("views.update")

    case = _report(slack, fake_slack, runtime, channel="C0VMKFLOTR", subject="service:lon")
    fake_slack.reset()
    payroll_head = user_id_for_email("lonechef@vmkf.example")  # configured by e-mail only: identify calls users.info
    slack.interaction(button_click(payroll_head, "case_answer", str(case.id), fake_slack.response_url))
    assert _opened_view(slack, fake_slack).get("callback_id") == "case_answer"
    methods = [call.method for call in fake_slack.calls]
    assert methods.index("views.open") < methods.index("users.info") < methods.index("views.update")
