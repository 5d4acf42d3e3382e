"""The `samverkan` command line: plan show, one tick against the fake Slack, db upgrade, missing settings."""

import json
import socket
import subprocess
import sys
import threading

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from bot.cli import main
from bot.cli.outcome import explain
from bot.config import ConfigError, ConfigProblem
from storage.engine import make_engine, session_scope
from storage.migrate import current_revision, head_revision
from storage.outbox import Delivery
from tests.conftest import EXAMPLE, ROOT

SHOW = ["plan", "show", "--config", str(EXAMPLE), "--from", "2027-02-01", "--days", "21"]


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
        ("veckoavstamning", "2027-02-08T08:00:00+01:00"),
        ("veckoavstamning", "2027-02-15T08:00:00+01:00"),
        ("budgetdialog-inbjudan", "2027-02-18T09:00:00+01:00"),
    ]
    invitation = rows[-1]
    assert invitation == {
        "item": "budgetdialog-inbjudan",
        "title": "Inbjudan till budgetdialog",
        "at": "2027-02-18T09:00:00+01:00",
        "delivery": "dm",
        "recipients": [
            "Direktionens ordförande (exempel)", "Direktionens vice ordförande (exempel)",
            "Kommunchef Arboga (exempel)", "Kommunchef Köping (exempel)", "Kommunchef Kungsör (exempel)",
            "Kommunchef Surahammar (exempel)", "Förbundschefen (exempel)", "Ekonomi- och kvalitetschefen (exempel)",
        ],
        "owner": "Förbundschefen (exempel)",
        "occurrence": "event:budgetdialog-2027:2027-03-11",  # the event and its date: moved, it is another
    }  # fmt: skip
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
    assert lines[-1].startswith("2027-02-18 09:00  Inbjudan till budgetdialog  (DM to: Direktionens ordförande")
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
    "url", ["mysql://user@db/samverkan", "postgresql+psycopg2://user@db/x", "nosuchdb://x", "samverkan.db"]
)
@pytest.mark.parametrize("command", [["db", "upgrade"], ["cases", "export"], ["tick", "--config", str(EXAMPLE)]])
def test_an_unsupported_database_url_is_one_line_naming_the_supported_ones_and_exit_2(
    slack_env, monkeypatch, fake_slack, capsys, url, command
):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(command) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("samverkan: DATABASE_URL ")
    assert "sqlite:///PATH" in err[0] and "postgresql://" in err[0] and "psycopg" in err[0]
    assert fake_slack.calls == []


def test_an_empty_database_url_is_refused_not_taken_for_the_local_file(monkeypatch, tmp_path, capsys):
    """A secret that did not resolve must not quietly put production data in ./samverkan.db."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", "")
    assert main(["db", "upgrade"]) == 2
    assert capsys.readouterr().err.strip() == (
        "samverkan: DATABASE_URL is set but empty: give the database's URL, or unset it to use sqlite:///samverkan.db"
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:1/none", "sqlite:////no/such/folder/x.db"])
def test_an_unreachable_database_is_one_line_and_exit_3(monkeypatch, capsys, url):
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("samverkan: cannot use the database") and "DATABASE_URL" in err[0]


def _unreadable_configs(tmp_path):
    folder = tmp_path / "a-folder"
    folder.mkdir()
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("latin-1", errors="replace"))
    return {"folder": folder, "not UTF-8": latin1}


@pytest.mark.parametrize("kind", ["folder", "not UTF-8"])
@pytest.mark.parametrize(
    ("command", "code"), [(["plan", "check"], 1), (["plan", "show"], 2), (["tick"], 2), (["cases", "purge"], 2)]
)
def test_a_configuration_that_cannot_be_read_is_one_line(slack_env, tmp_path, capsys, kind, command, code):
    """plan check exists to find problems with the file (exit 1); other commands cannot run on it (exit 2)."""
    path = _unreadable_configs(tmp_path)[kind]
    assert main([*command, "--config", str(path)]) == code
    out, err = capsys.readouterr()
    assert out == ""
    assert len(err.splitlines()) == 1 and err.startswith(f"{path}:")


def test_an_unreadable_configuration_through_the_real_command(tmp_path):
    for path in _unreadable_configs(tmp_path).values():
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "plan", "check", "--config", str(path)],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 1
        assert done.stdout == "" and len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr


def test_errors_in_the_configuration_exit_1_from_plan_check_and_2_from_the_commands_that_need_it(
    slack_env, tmp_path, capsys
):
    broken = tmp_path / "broken.yaml"
    broken.write_text(EXAMPLE.read_text(encoding="utf-8").replace("owner: forbundschef", "owner: nobody"), "utf-8")
    assert main(["plan", "check", "--config", str(broken)]) == 1
    assert main(["tick", "--config", str(broken)]) == 2
    assert main(["plan", "show", "--config", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "unknown person 'nobody'" in err and "Traceback" not in err


def test_serve_on_a_port_in_use_is_one_line_and_exit_3(slack_env, monkeypatch, fake_slack, capsys):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    with socket.socket() as taken:
        taken.bind(("0.0.0.0", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--config", str(EXAMPLE), "--port", str(port)]) == 3
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"samverkan: cannot listen on port {port} (Address already in use): another process is listening there: "
        "stop it, or pass --port N (or set PORT)"
    ]
    assert "APScheduler" not in {thread.name for thread in threading.enumerate()}  # the scheduler never started
    assert fake_slack.calls == []


@pytest.mark.parametrize(("option", "env"), [(["--port", "70000"], None), ([], "http")])
def test_serve_rejects_a_port_that_is_no_port(slack_env, monkeypatch, capsys, option, env):
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "secret")
    if env:
        monkeypatch.setenv("PORT", env)
    assert main(["serve", "--config", str(EXAMPLE), *option]) == 2
    assert "is not a TCP port" in capsys.readouterr().err


@pytest.mark.parametrize("checks", [True, False])
def test_a_configuration_error_about_the_whole_file_is_one_line(checks):
    """However the loader words a folder or a file that is not UTF-8, the operator reads one line."""
    error = ConfigError("samverkan.yaml", [ConfigProblem("", "is a folder, not a file: pass --config FILE")])
    failure = explain(error, checks_config=checks)
    assert failure.text == "samverkan.yaml: is a folder, not a file: pass --config FILE"
    assert failure.code == (1 if checks else 2)
    listed = explain(ConfigError("samverkan.yaml", [ConfigProblem("plan[0].owner", "unknown person", 12)]), checks)
    assert listed.text.splitlines() == [
        "samverkan.yaml: 1 error in the configuration",
        "samverkan.yaml:12: plan[0].owner: unknown person",
    ]


def test_usage_errors_exit_2():
    with pytest.raises(SystemExit) as raised:
        main(["plan", "nosuchcommand"])
    assert raised.value.code == 2


def test_demo_rejects_a_bad_start_date(capsys):
    assert main(["demo", "--from", "xx"]) == 2
    assert "--from 'xx' is not a date" in capsys.readouterr().err


def test_demo_with_a_folder_it_cannot_use_is_one_line_and_exit_2(tmp_path, capsys):
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    for folder in (a_file, a_file / "below"):
        assert main(["demo", "--dir", str(folder)]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith(f"samverkan: --dir {folder} cannot be the demo's folder")


@pytest.mark.parametrize(
    "command",
    [
        ["plan", "ics", "--config", str(EXAMPLE), "--from", "2027-02-01", "--days", "7"],
        ["cases", "export"],
    ],
)
def test_an_out_file_that_cannot_be_written_is_one_line_and_exit_2(slack_env, tmp_path, capsys, command):
    for out in (tmp_path / "no-such-folder" / "x.out", tmp_path):
        assert main([*command, "--out", str(out)]) == 2
        err = capsys.readouterr().err.splitlines()
        assert len(err) == 1 and err[0].startswith("samverkan: ") and str(out) in err[0]


def test_a_window_past_any_calendar_is_refused_in_one_line(capsys):
    assert main(["plan", "show", "--config", str(EXAMPLE), "--days", "3000000"]) == 2
    assert capsys.readouterr().err.strip() == "samverkan: --days must be at most 3660"
