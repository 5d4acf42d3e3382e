"""One actor resolution per request: looked up once, only when a listener needs it, refused once at the edge."""

from sqlmodel import select

from bot.demo.workspace import user_id_for_email
from handlers.slack.actor import user_of
from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.cases_support import REPORTER, button_click, dump_tables, report_submission

UNKNOWN = "U0NOBODY99"


def _case_id(engine) -> int:
    with session_scope(engine) as session:
        return session.exec(select(FeedbackCase.id)).one()


def test_requests_without_a_user_get_no_actor():
    assert user_of({"type": "url_verification", "challenge": "x"}) is None
    assert user_of({"type": "event_callback", "event_id": "Ev1", "event": {"type": "app_rate_limited"}}) is None
    assert user_of({"type": "event_callback", "event": {"type": "user_change", "user": {"id": "U1"}}}) is None
    assert user_of({"command": "/synpunkt", "user_id": "U1"}) == "U1"
    assert user_of({"type": "block_actions", "user": {"id": "U2"}}) == "U2"
    assert user_of({"type": "event_callback", "event": {"type": "app_home_opened", "user": "U3"}}) == "U3"


def test_an_anonymous_report_asks_slack_nothing_about_its_reporter(slack, fake_slack, runtime):
    reporter = user_id_for_email("lonechef@vmkf.example")  # configured by e-mail only: an actor look-up would ask
    slack.command("/synpunkt", user_id=reporter)
    slack.idle()
    assert fake_slack.calls_to("views.open")
    answer = slack.interaction(report_submission(reporter, anonymous=True))
    assert answer.json()["response_action"] == "update"
    assert fake_slack.calls_to("users.info") == []
    assert reporter not in dump_tables(runtime.engine)


def test_an_unknown_user_is_refused_once_at_the_edge(slack, fake_slack, runtime):
    slack.interaction(report_submission(REPORTER))
    slack.idle()
    case_id = _case_id(runtime.engine)
    slack.interaction(button_click(UNKNOWN, "case_take", str(case_id), fake_slack.response_url))
    slack.idle()
    (refusal,) = fake_slack.responses
    assert refusal["text"].startswith("Jag hittar dig inte bland förbundets personer.")
    assert [call.params["user"] for call in fake_slack.calls_to("users.info")] == [UNKNOWN]
