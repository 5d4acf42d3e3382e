"""The chat platforms in the association file: each person and channel is reached on one enabled platform."""

import pytest

from bot.config import parse_config
from bot.people import channel_recipient, person_recipient
from storage.platform import Platform
from tests.test_config import FILE, VALID, problems

OBJECT_ID = "0b7c3d2e-1f4a-4b5c-9d8e-7f6a5b4c3d2e"
TEAMS_CHANNEL = "teams:19:abcDEF123_x-y@thread.tacv2"


def with_people(people: str, platforms: str | None = None, text: str = VALID) -> str:
    start = text.index("people:")
    end = text.index("roles:")
    head = f"platforms: {platforms}\n" if platforms else ""
    return head + text[:start] + "people:\n" + people + text[end:]


def test_without_platforms_everyone_is_on_slack():
    config = parse_config(VALID, FILE)
    assert config.platforms == [Platform.SLACK]
    assert {person_recipient(p).platform for p in config.people} == {Platform.SLACK}


def test_a_person_with_a_teams_id_is_reached_on_teams_at_their_object_id():
    people = (
        f"  - {{id: chef, name: Chefen, teams_id: {OBJECT_ID}}}\n"
        "  - {id: kval, name: Kvalitetschefen, email: kval@test.example}\n"
    )
    config = parse_config(with_people(people, "[teams, slack]"), FILE)
    chef, kval = person_recipient(config.person("chef")), person_recipient(config.person("kval"))
    assert (chef.platform, chef.address) == (Platform.TEAMS, f"aad:{OBJECT_ID}")
    # Given only by e-mail: the association's first platform, looked up by e-mail when sending.
    assert (kval.platform, kval.address) == (Platform.TEAMS, "email:kval@test.example")


def test_both_platforms_each_person_on_one():
    people = (
        "  - {id: chef, name: Chefen, slack_id: U0VMKF0001}\n"
        "  - {id: kval, name: Kvalitetschefen, email: kval@test.example, platform: teams}\n"
    )
    config = parse_config(with_people(people, "[slack, teams]"), FILE)
    assert person_recipient(config.person("chef")).platform == Platform.SLACK
    assert person_recipient(config.person("kval")).platform == Platform.TEAMS


def test_a_teams_channel_is_addressed_on_teams():
    recipient = channel_recipient(TEAMS_CHANNEL, "Direktionen")
    assert (recipient.platform, recipient.address) == (Platform.TEAMS, TEAMS_CHANNEL)
    assert channel_recipient("C0DIREKTIO", "Direktionen").platform == Platform.SLACK


def test_a_person_or_channel_on_a_platform_not_enabled_is_an_error_with_its_line():
    people = (
        f"  - {{id: chef, name: Chefen, teams_id: {OBJECT_ID}}}\n"
        "  - {id: kval, name: Kvalitetschefen, email: kval@test.example}\n"
    )
    text = with_people(people).replace("channel: C0DIREKTIO", f"channel: '{TEAMS_CHANNEL}'")
    found = problems(text)
    assert any("people[0]" in p and "'chef' is reached on teams, which 'platforms' lacks" in p for p in found), found
    assert any("forums[0].channel" in p and "is on teams, which 'platforms' lacks" in p for p in found), found


@pytest.mark.parametrize(
    "entry, said",
    [
        ("{id: chef, name: Chefen, teams_id: not-a-guid}", "teams_id"),
        ("{id: chef, name: Chefen, platform: teams, slack_id: U0VMKF0001}", "needs a teams_id or an email"),
        ("{id: chef, name: Chefen, platform: msteams, email: a@b.se}", "platform"),
    ],
)
def test_a_bad_teams_person_is_reported(entry, said):
    people = f"  - {entry}\n  - {{id: kval, name: Kvalitetschefen, email: kval@test.example}}\n"
    found = problems(with_people(people, "[slack, teams]"))
    assert any(said in p and "people[0]" in p for p in found), found


def test_an_unknown_platform_is_reported():
    found = problems(with_people("  - {id: chef, name: Chefen, slack_id: U0VMKF0001}\n", "[slack, msteams]"))
    assert any(p.startswith(f"{FILE}:1: platforms") for p in found), found


@pytest.mark.parametrize("channel", ["c0123abcd", "'teams:abc'", "'https://teams.microsoft.com/l/channel/19%3Aabc'"])
def test_a_bad_channel_is_explained_for_slack_and_teams(channel):
    [problem] = problems(VALID.replace("channel: C0DIREKTIO", f"channel: {channel}"))
    assert "forums[0].channel" in problem and "C0123ABCD" in problem, problem
    assert "'teams:19:...@thread.tacv2'" in problem and "Get link to channel" in problem, problem


def test_a_bad_teams_id_is_explained_as_an_entra_object_id():
    people = "  - {id: chef, name: Chefen, teams_id: chef@test.example}\n  - {id: kval, name: K, email: k@t.example}\n"
    [problem] = problems(with_people(people, "[slack, teams]"))
    assert "people[0].teams_id" in problem and "Microsoft Entra object id, a GUID" in problem, problem
    assert "Entra admin center -> Users -> the person -> Object ID" in problem, problem
