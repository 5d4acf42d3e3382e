"""The answer on a file consent card over the real /api/messages (handlers/teams/files.py): accept uploads the
file once and shows its file card, decline leaves a Swedish note, an upload OneDrive refuses is offered again.

It needs the Teams serving edge (bot/teams/app.py, tests/teams_serving_support.py) and is skipped without it."""

import dataclasses

import pytest

pytest.importorskip("tests.teams_serving_support", reason="needs the Teams serving edge (branch 'serve')")

import handlers.teams  # noqa: E402
from bot.demo import teams_activities as activities  # noqa: E402
from bot.teams.files import FILE_INFO_CARD  # noqa: E402
from handlers.teams import files as files_handlers  # noqa: E402
from tests import teams_serving_support  # noqa: E402
from tests.teams_outbox_support import (  # noqa: E402
    DM_PLAN,
    FILES,
    KVAL,
    KVAL_CHAT,
    files_sent_to_kval,
    teams_config,
    texts,
)

pytest_plugins = ["tests.teams_fixtures"]

teams_runtime = teams_serving_support.teams_runtime


@pytest.fixture
def edge(teams_runtime, fake_teams):
    """The real Teams app over HTTP (anonymous), its replies going to the fake Bot Connector."""
    runtime = dataclasses.replace(teams_runtime, config=teams_config(more_plan=DM_PLAN))
    fake_teams.require_token = None  # the app is anonymous here (its token checks: tests/test_teams_auth.py)
    edge, server = teams_serving_support.start_edge(runtime)
    if files_handlers not in handlers.teams.MODULES:  # until handlers/teams/__init__.py registers it
        files_handlers.register(edge.teams.app, edge.teams.teams, runtime)
    yield edge
    server.stop()


def _answer(edge, fake_teams, row_id: int, action: str, index: int = 0, upload_url: str | None = None):
    """Kvalitetschefen's answer on the consent card for file `index` of the row, from their chat with the bot."""
    chat = activities.Chat(
        {"id": KVAL_CHAT, "conversationType": "personal", "tenantId": fake_teams.tenant_id},
        {"tenant": {"id": fake_teams.tenant_id}},
    )
    file = FILES[index]
    value: dict[str, object] = {"type": "fileUpload", "action": action, "context": {"delivery": row_id, "file": index}}
    if action == "accept":
        value["uploadInfo"] = {
            "name": file.filename,
            "uploadUrl": upload_url or fake_teams.upload_url(file.filename),
            "contentUrl": f"https://onedrive.example/{file.filename}",
            "uniqueId": f"unique-{index}",
            "fileType": file.filename.rsplit(".", 1)[1],
        }
    person = activities.user(KVAL, "Kvalitetschefen")
    return edge.client.post(activities.invoke("fileConsent/invoke", value, person, chat, service_url=fake_teams.url))


def test_accepting_a_file_uploads_it_and_shows_its_file_card_and_a_replay_uploads_nothing(
    engine, fake_teams, teams_senders, installed, edge
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    before = len(fake_teams.sent(KVAL_CHAT))

    first = _answer(edge, fake_teams, row_id, "accept")
    again = _answer(edge, fake_teams, row_id, "accept")

    assert first.status == again.status == 200
    assert list(fake_teams.uploaded().values()) == [FILES[0].content]
    [card] = fake_teams.sent(KVAL_CHAT)[before:]
    assert card["attachments"] == [
        {
            "contentType": FILE_INFO_CARD,
            "name": "svar.csv",
            "contentUrl": "https://onedrive.example/svar.csv",
            "content": {"uniqueId": "unique-0", "fileType": "csv"},
        }
    ]


def test_declining_a_file_leaves_a_swedish_note_and_uploads_nothing(engine, fake_teams, teams_senders, installed, edge):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    before = len(fake_teams.sent(KVAL_CHAT))

    assert _answer(edge, fake_teams, row_id, "decline", index=1).status == 200

    [note] = texts(fake_teams.sent(KVAL_CHAT)[before:])
    assert "Du tackade nej till filen **svar.xlsx**, så den sparades inte i din OneDrive." in note
    assert "uppfoljning rapport" in note
    assert fake_teams.uploaded() == {}


def test_an_upload_onedrive_refuses_is_offered_again_and_a_new_accept_uploads(
    engine, fake_teams, teams_senders, installed, edge
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    before = len(fake_teams.sent(KVAL_CHAT))

    assert _answer(edge, fake_teams, row_id, "accept", upload_url=f"{fake_teams.url}upload/expired").status == 200
    note, offer = fake_teams.sent(KVAL_CHAT)[before:]
    _answer(edge, fake_teams, row_id, "accept")

    assert "**svar.csv** kunde inte sparas i din OneDrive" in texts([note])[0]
    assert offer["attachments"][0]["content"]["acceptContext"] == {"delivery": row_id, "file": 0}
    assert list(fake_teams.uploaded().values()) == [FILES[0].content]


def test_an_accept_from_someone_elses_chat_uploads_nothing_and_says_the_file_is_gone(
    engine, fake_teams, teams_senders, installed, edge
):
    row_id = files_sent_to_kval(engine, teams_senders, installed)
    someone = fake_teams.add_personal("33333333-3333-4333-8333-333333333333", "annan@vmkf.example", "Någon annan")
    chat = activities.Chat(
        {"id": someone.id, "conversationType": "personal", "tenantId": fake_teams.tenant_id},
        {"tenant": {"id": fake_teams.tenant_id}},
    )
    upload = {"name": "svar.csv", "uploadUrl": fake_teams.upload_url("svar.csv")}
    value = {"type": "fileUpload", "action": "accept", "context": {"delivery": row_id, "file": 0}, "uploadInfo": upload}
    person = activities.user(someone.members[0].object_id, "Någon annan")

    answer = edge.client.post(activities.invoke("fileConsent/invoke", value, person, chat, service_url=fake_teams.url))

    assert answer.status == 200 and fake_teams.uploaded() == {}
    [note] = texts(fake_teams.sent(someone.id))
    assert note.startswith("Filen finns inte längre hos Samverkan")
