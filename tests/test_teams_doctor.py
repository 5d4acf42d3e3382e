"""`samverkan doctor` on Teams: the settings, a token (the token function injected, so no network), and every person
and channel on Teams checked against the installations and the roster stored in the database."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

import bot.teams.doctor
from bot.cli import main
from bot.config import load_config
from bot.settings import Settings
from bot.teams.doctor import TokenFunction, check_teams
from storage.engine import session_scope
from storage.teams import TeamsConversation, TeamsMember, mark_removed, save_conversation, save_member
from tests.conftest import EXAMPLE

APP_ID = "6c9a3c1e-2f4b-4d8e-9a7b-1f2e3d4c5b6a"
TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
CHEF = "11111111-1111-4111-8111-111111111111"  # configured by object id, installed in a personal chat
KVAL = "22222222-2222-4222-8222-222222222222"  # configured by e-mail, found in a team's roster
IT_CHANNEL = "19:it-kanalen@thread.tacv2"
BOARD_CHANNEL = "19:direktionen@thread.tacv2"
SERVICE_URL = "https://smba.trafficmanager.net/emea/"
INSTALLED = datetime(2027, 1, 4, 8, 0, tzinfo=UTC)

CONFIG = f"""\
association:
  id: test
  name: Testförbundet
  short_name: TF
platforms: [teams]
people:
  - {{id: chef, name: Chefen, teams_id: {CHEF}}}
  - {{id: kval, name: Kvalitetschefen, email: Kval@Test.example, platform: teams}}
roles:
  director: chef
  quality_manager: kval
members:
  - {{id: arboga, name: Arboga kommun, chief: chef}}
departments:
  - {{id: it, name: IT-avdelningen, head: chef, deputy: kval, channel: "teams:{IT_CHANNEL}"}}
forums:
  - {{id: direktion, name: Direktionen, kind: board, channel: "teams:{BOARD_CHANNEL}", members: [chef]}}
"""


@pytest.fixture
def config_file(tmp_path: Path) -> Path:
    path = tmp_path / "samverkan.yaml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def teams_settings(database_url: str, config_file: Path) -> Settings:
    return Settings.from_env(
        {
            "DATABASE_URL": database_url,
            "SAMVERKAN_CONFIG": str(config_file),
            "TEAMS_APP_ID": APP_ID,
            "TEAMS_APP_PASSWORD": "secret",
            "TEAMS_TENANT_ID": TENANT,
        }
    )


def _conversation(address: str, kind: str) -> TeamsConversation:
    return TeamsConversation(
        address=address,
        conversation_id=f"a:{address}" if kind == "personal" else address.removeprefix("teams:"),
        service_url=SERVICE_URL,
        tenant_id=TENANT,
        bot_id=f"28:{APP_ID}",
        kind=kind,
        team_id="19:team@thread.tacv2" if kind == "channel" else None,
        installed_at=INSTALLED,
    )


def _install_everything(engine: Engine) -> None:
    with session_scope(engine) as session:
        save_conversation(session, _conversation(f"aad:{CHEF}", "personal"))
        save_conversation(session, _conversation(f"teams:{IT_CHANNEL}", "channel"))
        save_conversation(session, _conversation(f"teams:{BOARD_CHANNEL}", "channel"))
        save_member(
            session,
            TeamsMember(
                object_id=KVAL,
                user_id="29:kval",
                email="kval@test.example",
                name="Kvalitetschefen",
                tenant_id=TENANT,
                service_url=SERVICE_URL,
                seen_at=INSTALLED,
            ),
        )


def _token() -> str:
    return "a-token"


def _check(settings: Settings, engine: Engine, token: TokenFunction = _token):
    return check_teams(load_config(settings.config_path), settings, engine, token)


def test_everything_installed_has_no_problems(teams_settings, engine):
    _install_everything(engine)
    report = _check(teams_settings, engine)
    assert report.problems == [] and not report.unreachable
    assert report.passed == [
        f"settings: the app {APP_ID} in the tenant {TENANT}",
        "token: Microsoft Entra issues a Bot Framework token for the app",
        "installations: the app is installed in 3 conversations",
        "people: all 2 on Teams are reachable (1 in a personal chat with the app, 1 through a team the app is in)",
        "channels: the app is installed for all 2 Teams channels",
    ]


def test_nothing_installed_is_one_problem_and_the_rest_skipped(teams_settings, engine):
    report = _check(teams_settings, engine)
    assert [(problem.subject, problem.what) for problem in report.problems] == [
        ("installations", "Teams has told the bot of no installation of the app yet")
    ]
    assert "samverkan teams-app" in report.problems[0].fix
    assert report.skipped == ["people and channels: the app is installed nowhere yet"]


def test_a_refused_token_says_which_settings_to_check(teams_settings, engine):
    _install_everything(engine)

    def refused() -> str:
        raise ValueError("Failed to acquire token. {'error': 'invalid_client', 'error_description': 'AADSTS7000215'}")

    report = _check(teams_settings, engine, refused)
    (problem,) = report.problems
    assert problem.subject == "token" and "AADSTS7000215" in problem.what
    assert "TEAMS_APP_PASSWORD" in problem.fix and not report.unreachable
    assert "installations: the app is installed in 3 conversations" in report.passed  # the stored checks still ran


def test_entra_out_of_reach_is_unreachable(teams_settings, engine):
    _install_everything(engine)

    def offline() -> str:
        raise ConnectionError("Name or service not known")

    report = _check(teams_settings, engine, offline)
    assert report.unreachable
    assert [problem.subject for problem in report.problems] == ["token"]


def test_anonymous_mode_is_a_problem_for_production_and_no_token_is_asked(database_url, config_file, engine):
    _install_everything(engine)
    settings = Settings.from_env(
        {"DATABASE_URL": database_url, "SAMVERKAN_CONFIG": str(config_file), "TEAMS_ANONYMOUS": "1"}
    )

    def never() -> str:
        raise AssertionError("no token in anonymous mode")

    report = _check(settings, engine, never)
    (problem,) = report.problems
    assert problem.subject == "settings" and "TEAMS_ANONYMOUS is set" in problem.what
    assert report.skipped == ["token: anonymous mode uses none"]


def test_people_and_channels_the_app_cannot_reach(teams_settings, engine):
    with session_scope(engine) as session:
        save_conversation(session, _conversation(f"aad:{CHEF}", "personal"))
        save_conversation(session, _conversation(f"teams:{BOARD_CHANNEL}", "channel"))
        mark_removed(session, f"aad:{CHEF}", datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
        mark_removed(session, f"teams:{BOARD_CHANNEL}", datetime(2027, 2, 2, 9, 0, tzinfo=UTC))
        save_conversation(session, _conversation("aad:33333333-3333-4333-8333-333333333333", "personal"))
    report = _check(teams_settings, engine)
    assert [problem.render().splitlines()[0] for problem in report.problems] == [
        "- people: chef (Chefen): they removed the app from their personal chat on 2027-02-01",
        "- people: kval (Kvalitetschefen): no Teams user with the e-mail address Kval@Test.example has met the app",
        f"- channel teams:{BOARD_CHANNEL} (forum direktion): the app was removed from its team on 2027-02-02",
        f"- channel teams:{IT_CHANNEL} (department it): the app is not installed in the team of this channel "
        "(Teams has told the bot of no such channel)",
    ]
    assert "Get link to channel" in report.problems[3].fix
    assert report.passed[-1] == "installations: the app is installed in 1 conversations"


def test_a_person_by_object_id_in_no_conversation_and_no_roster(teams_settings, engine):
    _install_everything(engine)
    with session_scope(engine) as session:
        mark_removed(session, f"aad:{CHEF}", INSTALLED)
        session.delete(session.get(TeamsConversation, f"aad:{CHEF}"))
    report = _check(teams_settings, engine)
    (problem,) = report.problems
    assert problem.what == f"the Teams user {CHEF} has no personal chat with the app and is in no team the app is in"
    assert "Object ID" in problem.fix


def test_a_person_in_a_roster_by_object_id_is_reachable(teams_settings, engine):
    _install_everything(engine)
    with session_scope(engine) as session:
        session.delete(session.get(TeamsConversation, f"aad:{CHEF}"))
        save_member(
            session,
            TeamsMember(object_id=CHEF, user_id="29:chef", service_url=SERVICE_URL, seen_at=INSTALLED),
        )
    report = _check(teams_settings, engine)
    assert report.problems == []
    assert (
        "people: all 2 on Teams are reachable (0 in a personal chat with the app, 2 through a team the app is in)"
        in (report.passed)
    )


# samverkan doctor, the command -------------------------------------------------------------------------------


@pytest.fixture
def doctor_env(monkeypatch, teams_settings, engine):
    monkeypatch.setenv("DATABASE_URL", teams_settings.database_url)
    monkeypatch.setenv("SAMVERKAN_CONFIG", teams_settings.config_path)
    for name in ("TEAMS_APP_ID", "TEAMS_APP_PASSWORD", "TEAMS_TENANT_ID"):
        monkeypatch.setenv(name, getattr(teams_settings, name.lower()))
    monkeypatch.delenv("TEAMS_ANONYMOUS", raising=False)
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)  # a Teams-only file needs no Slack token
    monkeypatch.setattr(bot.teams.doctor, "bot_framework_token", lambda settings: _token)


def test_doctor_on_a_teams_file_prints_the_checks_and_exits_0(doctor_env, engine, capsys):
    _install_everything(engine)
    assert main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("samverkan.yaml against Teams and the app's installations stored in the database")
    assert lines[-1] == "no problems found"
    assert "ok       channels: the app is installed for all 2 Teams channels" in lines


def test_doctor_lists_each_problem_with_its_fix_and_exits_1(doctor_env, engine, capsys):
    assert main(["doctor"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[-3:-1] == [
        "1 problem to fix:",
        "- installations: Teams has told the bot of no installation of the app yet",
    ]
    assert lines[-1].startswith("  Fix: upload the app package (samverkan teams-app)")


def test_doctor_with_entra_out_of_reach_exits_3(doctor_env, monkeypatch, engine, capsys):
    def offline() -> str:
        raise ConnectionError("Name or service not known")

    monkeypatch.setattr(bot.teams.doctor, "bot_framework_token", lambda settings: offline)
    _install_everything(engine)
    assert main(["doctor"]) == 3


def test_doctor_without_the_teams_settings_is_a_settings_error(doctor_env, monkeypatch, capsys):
    monkeypatch.delenv("TEAMS_APP_PASSWORD")
    assert main(["doctor"]) == 2
    assert capsys.readouterr().err.startswith("samverkan: TEAMS_APP_PASSWORD is not set")


def test_a_file_on_both_platforms_checks_each_person_and_channel_on_its_own(
    doctor_env, monkeypatch, tmp_path, fake_slack, engine, capsys
):
    text = EXAMPLE.read_text(encoding="utf-8").replace("\nsettings:", "\nplatforms: [slack, teams]\nsettings:", 1)
    text = text.replace("channel: C0SURAHAM1", f"channel: teams:{BOARD_CHANNEL}")
    text = text.replace("email: kommunikator@vmkf.example}", "email: kommunikator@vmkf.example, platform: teams}")
    both = tmp_path / "both.yaml"
    both.write_text(text, encoding="utf-8")
    monkeypatch.setenv("SAMVERKAN_CONFIG", str(both))
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_API_URL", fake_slack.url)
    with session_scope(engine) as session:
        save_conversation(session, _conversation(f"teams:{BOARD_CHANNEL}", "channel"))
        member = TeamsMember(
            object_id=KVAL,
            user_id="29:k",
            email="kommunikator@vmkf.example",
            service_url=SERVICE_URL,
            seen_at=INSTALLED,
        )
        save_member(session, member)
    assert main(["doctor"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "ok       channels: the bot is a member of all 18" in lines  # the Teams channel is not asked of Slack
    assert "ok       people: all 23 checked are in Slack" in lines
    assert "ok       channels: the app is installed for all 1 Teams channels" in lines
    assert (
        "ok       people: all 1 on Teams are reachable (0 in a personal chat with the app, 1 through a team the app "
        "is in)" in lines
    )
    assert "C0SURAHAM1" not in {call.params.get("channel") for call in fake_slack.calls_to("conversations.info")}


def test_a_person_who_removed_the_app_is_not_reachable_though_a_team_knows_them(teams_settings, engine):
    """The sender does not open a new chat with someone who removed the app, so doctor does not count them."""
    _install_everything(engine)
    with session_scope(engine) as session:
        mark_removed(session, f"aad:{CHEF}", datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
        save_member(
            session,
            TeamsMember(object_id=CHEF, user_id="29:chef", service_url=SERVICE_URL, seen_at=INSTALLED),
        )
    report = _check(teams_settings, engine)
    (problem,) = report.problems
    assert problem.render().splitlines()[0] == (
        "- people: chef (Chefen): they removed the app from their personal chat on 2027-02-01"
    )
