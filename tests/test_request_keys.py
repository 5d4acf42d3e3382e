"""The one request key: equal for byte-identical bodies, different for another submission or click, and the
follow-up form's keys from before migration 0004 carried over so that their replays still match."""

import hashlib
import json
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import text

from handlers.slack.request_keys import request_key
from storage.engine import make_engine
from storage.migrate import _alembic_config, upgrade
from tests.cases_support import button_click, text_submission


def test_identical_bodies_give_one_key_and_other_values_another():
    submission = text_submission("U1", "case_answer", 7, "answer", "Svar")
    assert request_key(json.loads(json.dumps(submission))) == request_key(submission)
    assert request_key(text_submission("U1", "case_answer", 7, "answer", "Annat svar")) != request_key(submission)
    click = button_click("U1", "case_take", "7", "http://127.0.0.1:9/response")
    other_click = json.loads(json.dumps(click))
    other_click["actions"][0]["action_ts"] = "2"
    assert request_key(click) != request_key(other_click)
    assert len(request_key(click)) == 64 and "U1" not in request_key(click)


def test_a_malformed_body_still_gets_a_stable_key():
    for body in ({"type": "view_submission", "view": "x"}, {"type": "block_actions", "actions": [{}]}, {}):
        assert request_key(body) == request_key(json.loads(json.dumps(body)))


def _old_followup_key(view: dict) -> str:
    """How handlers/slack/followup.py keyed a submission before migration 0004."""
    values = json.dumps(view["state"]["values"], sort_keys=True, ensure_ascii=False)
    return f"{view['id']}:{hashlib.sha256(values.encode()).hexdigest()[:40]}"


def test_migration_carries_the_follow_up_keys_over(tmp_path):
    body = text_submission("U1", "followup_form", 0, "nki|value", "72")
    engine = make_engine(f"sqlite:///{tmp_path / 'carry.db'}")
    config = _alembic_config(engine)
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003_cases")
        connection.execute(
            text("INSERT INTO followup_submission VALUES (:key, 't1-2027', 'it', 'it-chef', :at)"),
            {"key": _old_followup_key(body["view"]), "at": datetime(2027, 5, 4, 8, 0, tzinfo=UTC).replace(tzinfo=None)},
        )
    upgrade(engine)
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT key, received_at FROM processed_request")).all()
        tables = connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars().all()
    assert [key for key, _ in rows] == [request_key(body)]
    assert "followup_submission" not in tables
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003_cases")
    upgrade(engine)
    engine.dispose()
