"""The `samverkan` command line: plan show, one tick against the fake Slack, db upgrade, missing settings."""

import json

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot.cli import main
from storage.engine import make_engine, session_scope
from storage.migrate import current_revision, head_revision
from storage.outbox import Delivery
from tests.conftest import EXAMPLE

SHOW = ["plan", "show", "--config", str(EXAMPLE), "--from", "2027-02-01", "--days", "14"]


@pytest.fixture
def slack_env(monkeypatch, fake_slack, database_url):
    """The environment a tick reads: the token, the fake Slack's URL and the test database."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("SLACK_APP_TOKEN", raising=False)
    monkeypatch.delenv("SAMVERKAN_CONFIG", raising=False)


def test_plan_show_json(capsys):
    assert main([*SHOW, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(row["item"], row["at"]) for row in rows] == [
        ("veckoavstamning", "2027-02-01T08:00:00+01:00"),
        ("ledningsgrupp-punkter", "2027-02-02T08:30:00+01:00"),
        ("direktion-beredning", "2027-02-04T08:30:00+01:00"),
        ("veckoavstamning", "2027-02-08T08:00:00+01:00"),
        ("direktion-kallelse", "2027-02-11T09:00:00+01:00"),
    ]
    kallelse = rows[-1]
    assert kallelse == {
        "item": "direktion-kallelse",
        "title": "Kallelse och handlingar till direktionen",
        "at": "2027-02-11T09:00:00+01:00",
        "delivery": "channel",
        "recipients": ["Direktionen"],
        "owner": "Förbundschefen (exempel)",
        "occurrence": "event:direktion-2027-02",
    }
    assert rows[0]["delivery"] == "dm" and len(rows[0]["recipients"]) == 4


def test_plan_show_json_carries_the_summer_time_offset(capsys):
    assert main(["plan", "show", "--config", str(EXAMPLE), "--from", "2027-03-22", "--days", "15", "--json"]) == 0
    offsets = {row["at"][:10]: row["at"][-6:] for row in json.loads(capsys.readouterr().out)}
    assert offsets["2027-03-22"] == "+01:00"  # before the clock change on 28 March
    assert offsets["2027-04-05"] == "+02:00"


def test_plan_show_as_text(capsys):
    assert main(SHOW) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[-1] == "2027-02-11 09:00  Kallelse och handlingar till direktionen  (post in: Direktionen)"
    assert lines[0].startswith("2027-02-01 08:00  Veckoavstämning med avdelningscheferna  (DM to: IT-chefen (exempel),")


def test_plan_show_with_nothing_planned(tmp_path, capsys):
    path = tmp_path / "tom.yaml"
    path.write_text(
        EXAMPLE.read_text(encoding="utf-8").split("\nplan:\n")[0] + "\nplan: []\n",
        encoding="utf-8",
    )
    assert main(["plan", "show", "--config", str(path), "--from", "2027-02-01"]) == 0
    assert capsys.readouterr().out == "nothing planned in this window\n"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--from", "1 februari"], "samverkan: --from '1 februari' is not a date like 2027-02-01"),
        (["--from", "2027-02-01", "--days", "0"], "samverkan: --days must be at least 1"),
    ],
)
def test_plan_show_rejects_a_bad_window(capsys, arguments, message):
    assert main(["plan", "show", "--config", str(EXAMPLE), *arguments]) == 2
    assert capsys.readouterr().err.strip() == message


def test_tick_sends_what_is_due_once(slack_env, fake_slack, database_url, capsys):
    arguments = ["tick", "--config", str(EXAMPLE), "--now", "2027-02-01T08:05+01:00"]
    assert main(arguments) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(out[:-1]) == [
        "sent     Veckoavstämning med avdelningscheferna -> Chef specialistavdelningen (exempel)",
        "sent     Veckoavstämning med avdelningscheferna -> Ekonomichefen (exempel)",
        "sent     Veckoavstämning med avdelningscheferna -> IT-chefen (exempel)",
        "sent     Veckoavstämning med avdelningscheferna -> Lönechefen (exempel)",
    ]
    assert out[-1] == (
        "tick at 2027-02-01T08:05:00+01:00: 4 sent, 0 skipped (already queued), 0 retrying, 0 failed, 0 missed"
    )
    assert len(fake_slack.posted()) == 4

    assert main(["tick", "--config", str(EXAMPLE), "--now", "2027-02-01T08:06"]) == 0  # naive: Stockholm time
    assert capsys.readouterr().out.splitlines() == [
        "tick at 2027-02-01T08:06:00+01:00: 0 sent, 1 skipped (already queued), 0 retrying, 0 failed, 0 missed"
    ]
    assert len(fake_slack.posted()) == 4
    engine = make_engine(database_url)
    with session_scope(engine) as session:
        assert {row.status for row in session.exec(select(Delivery))} == {"sent"}
    engine.dispose()


def test_tick_exits_1_when_a_delivery_fails(slack_env, fake_slack, capsys):
    fake_slack.workspace.missing_channels.add("C0LEDNINGS")
    assert main(["tick", "--config", str(EXAMPLE), "--now", "2027-02-02T08:31+01:00"]) == 1
    out = capsys.readouterr().out
    assert "failed   Punkter till ledningsgruppens möte -> Ledningsgruppen (kommuncheferna) (channel_not_found)" in out
    assert "1 failed" in out


def test_tick_rejects_a_bad_time(slack_env, capsys):
    assert main(["tick", "--config", str(EXAMPLE), "--now", "måndag"]) == 2
    assert capsys.readouterr().err.strip() == (
        "samverkan: --now 'måndag' is not an ISO-8601 time like 2027-02-08T08:00+01:00"
    )


@pytest.mark.parametrize("command", [["tick"], ["clock"]])
def test_a_missing_bot_token_is_one_clear_line_and_exit_2(slack_env, monkeypatch, fake_slack, capsys, command):
    monkeypatch.delenv("SLACK_BOT_TOKEN")
    assert main([*command, "--config", str(EXAMPLE)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [
        "samverkan: SLACK_BOT_TOKEN is not set: set it to the app's Bot User OAuth Token (xoxb-...), "
        "from the Slack app's OAuth & Permissions page"
    ]
    assert fake_slack.calls == []


def test_db_upgrade_migrates_a_new_database_and_is_idempotent(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'ny.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    assert main(["db", "upgrade"]) == 0
    engine = make_engine(url)
    head = head_revision(engine)
    assert capsys.readouterr().out.splitlines() == [f"database at revision {head}"] * 2
    assert current_revision(engine) == head
    assert {"delivery", "processed_event", "scheduler_state", "slack_user"} <= set(inspect(engine).get_table_names())
    engine.dispose()


def test_db_upgrade_on_the_test_database(database_url, monkeypatch, capsys):
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert main(["db", "upgrade"]) == 0
    assert capsys.readouterr().out.startswith("database at revision ")


def test_a_missing_configuration_file_is_one_line(tmp_path, capsys):
    assert main(["plan", "check", "--config", str(tmp_path / "saknas.yaml")]) == 1
    err = capsys.readouterr().err.strip()
    assert err == f"{tmp_path / 'saknas.yaml'}: file not found: set SAMVERKAN_CONFIG or pass --config PATH"


@pytest.mark.parametrize(
    "url", ["postgresql://nobody@127.0.0.1:1/none", "nosuchdb://x", "sqlite:////no/such/folder/x.db"]
)
def test_an_unusable_database_url_is_one_line_and_exit_2(monkeypatch, capsys, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("samverkan: cannot use the database") and "DATABASE_URL" in err[0]


def test_demo_rejects_a_bad_start_date(capsys):
    assert main(["demo", "--from", "xx"]) == 2
    assert "--from 'xx' is not a date" in capsys.readouterr().err
