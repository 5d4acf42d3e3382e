"""`samverkan teams-app`: the zip's members, the manifest against the official Teams schema v1.19 (shipped by the
npm package @microsoft/app-manifest), the icons' sizes and colours read back from the PNG bytes, and every setting
that is missing or wrong as one line with exit code 2."""

import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import jsonschema
import pytest

from bot.cli import main
from bot.teams.app_package import MESSAGE_ACTION_ID
from tests.conftest import EXAMPLE, ROOT

BOT_ID = "6c9a3c1e-2f4b-4d8e-9a7b-1f2e3d4c5b6a"
HOST = "samverkan.example.se"
SCHEMA = ROOT / "node_modules/@microsoft/app-manifest/build/json-schemas/teams/v1.19/MicrosoftTeams.schema.json"
ENVIRONMENT = (
    "TEAMS_APP_ID",
    "SAMVERKAN_PUBLIC_HOST",
    "TEAMS_APP_PACKAGE_ID",
    "TEAMS_APP_VERSION",
    "TEAMS_APP_DEVELOPER",
    "TEAMS_APP_WEBSITE_URL",
    "TEAMS_APP_PRIVACY_URL",
    "TEAMS_APP_TERMS_URL",
)


@pytest.fixture
def teams_env(monkeypatch):
    for name in ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TEAMS_APP_ID", BOT_ID)
    monkeypatch.setenv("SAMVERKAN_PUBLIC_HOST", HOST)


def _write(tmp_path: Path, *extra: str) -> tuple[int, Path]:
    out = tmp_path / "samverkan-teams.zip"
    return main(["teams-app", "--config", str(EXAMPLE), "--out", str(out), *extra]), out


def _package(tmp_path: Path) -> zipfile.ZipFile:
    code, out = _write(tmp_path)
    assert code == 0
    return zipfile.ZipFile(io.BytesIO(out.read_bytes()))


def _manifest(tmp_path: Path) -> dict:
    return json.loads(_package(tmp_path).read("manifest.json").decode("utf-8"))


def _pixels(data: bytes) -> tuple[int, int, list[tuple[int, ...]]]:
    """Width, height and RGBA pixels of a PNG as icons.png writes it (one IDAT, filter 0 on every row)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height, depth, color_type = struct.unpack(">IIBB", data[16:26])
    assert (data[12:16], depth, color_type) == (b"IHDR", 8, 6)
    chunks, at = {}, 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        assert struct.unpack(">I", data[at + 8 + length : at + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind] = body
        at += 12 + length
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + width * 4
    rows = [raw[y * stride : (y + 1) * stride] for y in range(height)]
    assert all(row[0] == 0 for row in rows)
    return width, height, [tuple(row[1 + x * 4 : 5 + x * 4]) for row in rows for x in range(width)]


def test_the_package_holds_the_manifest_and_both_icons_at_its_root(teams_env, tmp_path, capsys):
    package = _package(tmp_path)
    assert sorted(package.namelist()) == ["color.png", "manifest.json", "outline.png"]
    out = capsys.readouterr().out
    assert f"for the bot {BOT_ID}" in out and f"https://{HOST}/api/messages" in out


def test_the_manifest_passes_the_official_schema(teams_env, tmp_path):
    if not SCHEMA.exists():
        pytest.fail(f"{SCHEMA.relative_to(ROOT)} is missing (npm package @microsoft/app-manifest): run `npm ci`")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    manifest = _manifest(tmp_path)
    jsonschema.Draft4Validator(schema).validate(manifest)
    broken = {**manifest, "bots": [{**manifest["bots"][0], "botId": "not-a-guid"}]}
    assert not jsonschema.Draft4Validator(schema).is_valid(broken)  # the schema is really read


def test_the_manifest_has_what_the_schema_requires(teams_env, tmp_path):
    manifest = _manifest(tmp_path)
    assert manifest["$schema"].endswith("/teams/v1.19/MicrosoftTeams.schema.json")
    assert manifest["manifestVersion"] == "1.19"
    assert {"manifestVersion", "version", "id", "developer", "name", "description", "icons", "accentColor"} <= set(
        manifest
    )
    assert manifest["developer"] == {
        "name": "VMKF",  # the association's name is longer than Teams' 32 characters
        "websiteUrl": f"https://{HOST}/",
        "privacyUrl": f"https://{HOST}/",
        "termsOfUseUrl": f"https://{HOST}/",
    }
    assert manifest["name"] == {"short": "Samverkan", "full": "Samverkan – Västra Mälardalens kommunalförbund"}
    assert len(manifest["description"]["short"]) <= 80 and "synpunkter" in manifest["description"]["short"]
    assert manifest["icons"] == {"color": "color.png", "outline": "outline.png"}
    assert manifest["permissions"] == ["identity", "messageTeamMembers"]
    assert manifest["validDomains"] == [HOST]


def test_the_bot_offers_a_command_menu_per_scope_and_accepts_files(teams_env, tmp_path):
    (bot,) = _manifest(tmp_path)["bots"]
    assert bot["botId"] == BOT_ID
    assert bot["scopes"] == ["personal", "team", "groupChat"]
    assert bot["supportsFiles"] is True
    menus = {tuple(menu["scopes"]): [command["title"] for command in menu["commands"]] for menu in bot["commandLists"]}
    assert menus == {
        ("personal",): ["kommunikationsplan", "uppföljning", "synpunkt", "direktion", "mina uppgifter", "hjälp"],
        ("team",): ["kommunikationsplan", "synpunkt", "hjälp"],
        ("groupChat",): ["kommunikationsplan", "synpunkt", "hjälp"],
    }
    for menu in bot["commandLists"]:
        for command in menu["commands"]:
            assert len(command["title"]) <= 32 and 0 < len(command["description"]) <= 128


def test_the_message_action_registers_a_message_as_feedback(teams_env, tmp_path):
    (extension,) = _manifest(tmp_path)["composeExtensions"]
    assert extension["botId"] == BOT_ID
    assert extension["commands"] == [
        {
            "id": MESSAGE_ACTION_ID,
            "type": "action",
            "context": ["message"],
            "fetchTask": True,
            "title": "Registrera som synpunkt",
            "description": "Registrera meddelandet som en synpunkt eller ett klagomål",
        }
    ]


def test_the_app_id_is_stable_for_a_bot_and_can_be_given(teams_env, tmp_path, monkeypatch):
    first = _manifest(tmp_path)
    (tmp_path / "samverkan-teams.zip").unlink()
    assert _manifest(tmp_path)["id"] == first["id"] != BOT_ID
    assert (tmp_path / "samverkan-teams.zip").read_bytes() == _write_again(tmp_path)  # the same bytes each run
    monkeypatch.setenv("TEAMS_APP_PACKAGE_ID", "0f8fad5b-d9cb-469f-a165-70867728950e")
    monkeypatch.setenv("TEAMS_APP_VERSION", "2.3.4")
    monkeypatch.setenv("TEAMS_APP_PRIVACY_URL", "https://www.vmkf.example/integritet")
    (tmp_path / "samverkan-teams.zip").unlink()
    manifest = _manifest(tmp_path)
    assert (manifest["id"], manifest["version"]) == ("0f8fad5b-d9cb-469f-a165-70867728950e", "2.3.4")
    assert manifest["developer"]["privacyUrl"] == "https://www.vmkf.example/integritet"


def _write_again(tmp_path: Path) -> bytes:
    code, out = _write(tmp_path, "--force")
    assert code == 0
    return out.read_bytes()


def test_the_icons_have_teams_sizes_and_the_outline_is_white_on_transparency(teams_env, tmp_path):
    package = _package(tmp_path)
    width, height, color = _pixels(package.read("color.png"))
    assert (width, height) == (192, 192)
    assert all(pixel[3] == 255 for pixel in color)  # full colour: no transparency
    assert {(29, 79, 145, 255), (255, 255, 255, 255)} == set(color)
    width, height, outline = _pixels(package.read("outline.png"))
    assert (width, height) == (32, 32)
    assert set(outline) == {(0, 0, 0, 0), (255, 255, 255, 255)}


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("TEAMS_APP_ID", None, "samverkan: TEAMS_APP_ID is not set: set it to the Azure Bot's Microsoft App ID"),
        ("TEAMS_APP_ID", "samverkan-bot", "samverkan: TEAMS_APP_ID 'samverkan-bot' is not a GUID"),
        ("SAMVERKAN_PUBLIC_HOST", None, "samverkan: SAMVERKAN_PUBLIC_HOST is not set"),
        ("SAMVERKAN_PUBLIC_HOST", "http://x.example/api", "samverkan: SAMVERKAN_PUBLIC_HOST 'http://x.example/api'"),
        ("TEAMS_APP_VERSION", "1.0", "samverkan: TEAMS_APP_VERSION '1.0' is not a version like 1.0.3"),
        ("TEAMS_APP_PACKAGE_ID", "abc", "samverkan: TEAMS_APP_PACKAGE_ID 'abc' is not a GUID"),
        ("TEAMS_APP_TERMS_URL", "http://x.example/", "samverkan: TEAMS_APP_TERMS_URL 'http://x.example/' is not"),
    ],
)
def test_a_missing_or_wrong_setting_is_one_line_and_exit_2(
    teams_env, tmp_path, monkeypatch, capsys, name, value, message
):
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    code, out = _write(tmp_path)
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith(message) and err.count("\n") == 1
    assert not out.exists()


def test_a_host_given_as_an_https_address_is_its_host(teams_env, tmp_path, monkeypatch):
    monkeypatch.setenv("SAMVERKAN_PUBLIC_HOST", f"https://{HOST.upper()}/")
    assert _manifest(tmp_path)["validDomains"] == [HOST]


def test_an_existing_file_is_kept_unless_force(teams_env, tmp_path, capsys):
    out = tmp_path / "samverkan-teams.zip"
    out.write_bytes(b"the earlier package")
    code, _ = _write(tmp_path)
    assert code == 2
    assert (
        capsys.readouterr().err
        == f"samverkan: {out} exists: pass --force to overwrite it, or choose another --out FILE\n"
    )
    assert out.read_bytes() == b"the earlier package"
    code, _ = _write(tmp_path, "--force")
    assert code == 0 and zipfile.is_zipfile(out)


def test_a_folder_as_out_is_one_line(teams_env, tmp_path, capsys):
    code = main(["teams-app", "--config", str(EXAMPLE), "--out", str(tmp_path)])
    assert code == 2
    assert capsys.readouterr().err.startswith(f"samverkan: --out {tmp_path} is a folder")


def test_a_broken_configuration_writes_nothing(teams_env, tmp_path, capsys):
    config = tmp_path / "samverkan.yaml"
    config.write_text("association: {id: x}\n", encoding="utf-8")
    out = tmp_path / "samverkan-teams.zip"
    assert main(["teams-app", "--config", str(config), "--out", str(out)]) == 2
    assert not out.exists()
    assert "association.name" in capsys.readouterr().err
