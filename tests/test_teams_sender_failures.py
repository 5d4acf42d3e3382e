"""Teams failures that retrying will not mend, reported to the owner in Swedish with what to do: the app not
installed in a channel or for a person, removed since, Teams failing again and again; and people configured by
e-mail reached through the roster."""

from datetime import timedelta

import pytest

from bot.config import parse_config
from bot.delivery.sender import MAX_ATTEMPTS
from bot.demo.fake_teams_tenant import BOT_ID, install_channel, team_member
from storage import teams
from storage.engine import session_scope
from tests.teams_outbox_support import (
    CHEF_CHAT,
    DIREKTION,
    DM_PLAN,
    INSTALLED_AT,
    KOMM,
    KOMM_CHAT,
    KOMM_EMAIL,
    KVAL,
    KVAL_CHAT,
    NOW,
    install,
    rows,
    teams_config,
    teams_config_text,
    texts,
    tick,
)

pytest_plugins = ["tests.teams_fixtures"]


BORTA = "  - {id: borta, name: Den som slutat, email: slutat@vmkf.example, platform: teams}\n"


def reports_to_komm(fake_teams) -> list[str]:
    return texts(fake_teams.sent(KOMM_CHAT))


def test_the_app_not_installed_in_a_channel_fails_once_and_the_owner_hears_what_to_do(
    engine, fake_teams, teams_senders
):
    config = teams_config(more_plan=DM_PLAN)
    install(engine, fake_teams, config)
    with session_scope(engine) as session:
        teams.mark_removed(session, f"teams:{DIREKTION}", NOW - timedelta(days=1))

    report = tick(engine, teams_senders, config)
    tick(engine, teams_senders, config, NOW + timedelta(hours=1))

    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error, row.attempts) == ("failed", "teams_not_installed", 1)
    assert [(failed.id, reason) for failed, reason in report.send.failed] == [(row.id, "teams_not_installed")]
    assert fake_teams.sent(DIREKTION) == []
    [report_text] = reports_to_komm(fake_teams)
    assert "Utskicket ”Veckobrev” i kanalen för Direktionen kunde inte levereras" in report_text
    assert "Orsak: Samverkan-appen är inte installerad i teamet som kanalen hör till." in report_text
    assert "Gör så här: Lägg till appen Samverkan i teamet" in report_text
    assert "teams_not_installed" not in report_text


@pytest.mark.parametrize(
    ("break_it", "error"),
    [
        (lambda fake: fake.remove_bot(DIREKTION), "teams_bot_removed"),
        (lambda fake: fake.conversations.pop(DIREKTION), "teams_not_installed"),
    ],
    ids=["bot_removed_403", "conversation_not_found_404"],
)
def test_teams_refusing_the_conversation_fails_the_row_and_forgets_the_conversation(
    engine, fake_teams, teams_senders, installed, break_it, error
):
    break_it(fake_teams)
    tick(engine, teams_senders, installed)
    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error) == ("failed", error)
    [report_text] = reports_to_komm(fake_teams)
    assert "kunde inte levereras" in report_text and error not in report_text
    with session_scope(engine) as session:
        assert teams.conversation_at(session, f"teams:{DIREKTION}") is None


def test_server_errors_fail_after_max_attempts_and_the_owner_is_told_in_swedish(
    engine, fake_teams, teams_senders, installed
):
    fake_teams.fail_next(500, times=MAX_ATTEMPTS, operation="send", conversation_id=DIREKTION)
    now = NOW
    for attempt in range(1, MAX_ATTEMPTS + 1):
        tick(engine, teams_senders, installed, now)
        row = next(row for row in rows(engine) if row.item_id == "veckobrev")
        assert row.attempts == attempt
        now = row.next_attempt_at
    assert (row.status, row.error) == ("failed", "teams_server_error")
    [report_text] = reports_to_komm(fake_teams)
    assert "Orsak: Teams svarade med ett serverfel gång på gång." in report_text


def test_a_person_by_email_is_found_in_the_roster_and_a_personal_chat_created(engine, fake_teams, teams_senders):
    """Kommunikatören is configured only by e-mail: known from the team's roster, reached in a new 1:1 chat."""
    config = teams_config(more_plan=DM_PLAN.replace("[kval]", "[komm]").replace("owner: chef", "owner: kval"))
    member = team_member(fake_teams, KOMM, KOMM_EMAIL.upper(), "Kommunikatören")
    install_channel(engine, fake_teams, DIREKTION, "team-direktion", INSTALLED_AT, (member,))

    tick(engine, teams_senders, config)

    [create] = fake_teams.calls_to("create")
    assert create.body["members"] == [{"id": member.id}] and create.body["bot"] == {"id": BOT_ID}
    assert create.body["isGroup"] is False and create.body["tenantId"] == fake_teams.tenant_id
    [dm] = fake_teams.sent(KOMM_CHAT)
    assert "Glöm inte veckans sammanställning." in texts([dm])[0]
    with session_scope(engine) as session:
        stored = teams.conversation_at(session, f"aad:{KOMM}")
    assert (stored.conversation_id, stored.kind, stored.service_url) == (KOMM_CHAT, "personal", fake_teams.url)


def test_an_email_the_roster_does_not_know_is_a_permanent_failure_reported_to_the_owner(
    engine, fake_teams, teams_senders
):
    config = teams_config(
        more_people=BORTA, more_plan=DM_PLAN.replace("[kval]", "[borta]").replace("owner: chef", "owner: kval")
    )
    install(engine, fake_teams, config, skip=("borta",))
    tick(engine, teams_senders, config)

    row = next(row for row in rows(engine) if row.item_id == "paminnelse")
    assert (row.status, row.error) == ("failed", "teams_user_not_installed")
    assert fake_teams.calls_to("create") == []
    [report_text] = texts(fake_teams.sent(KVAL_CHAT))
    assert "Utskicket ”Påminnelse till kvalitetschefen” till Den som slutat kunde inte levereras" in report_text
    assert "Orsak: Samverkan-appen når inte personen i Teams" in report_text
    assert "Kontrollera personens e-postadress" in report_text


def test_a_failure_report_that_cannot_be_delivered_goes_once_to_the_director_and_the_quality_manager(
    engine, fake_teams, teams_senders
):
    """The letter's owner is someone Teams cannot reach, and the letter's channel is gone."""
    config = parse_config(teams_config_text(more_people=BORTA).replace("owner: komm", "owner: borta"))
    install(engine, fake_teams, config, skip=("borta",))
    fake_teams.remove_bot(DIREKTION)
    tick(engine, teams_senders, config)
    tick(engine, teams_senders, config, NOW + timedelta(hours=1))

    [report] = rows(engine, "failure-report")
    assert (report.status, report.error) == ("failed", "teams_user_not_installed")
    fallbacks = fake_teams.sent(CHEF_CHAT) + fake_teams.sent(KVAL_CHAT)
    assert len(fallbacks) == 2
    assert all("Den som slutat kunde inte nås med en rapport" in text for text in texts(fallbacks))


@pytest.mark.parametrize(
    ("person", "object_id", "chat"), [("kval", KVAL, KVAL_CHAT), ("komm", KOMM, KOMM_CHAT)], ids=["by_id", "by_email"]
)
def test_a_person_who_removed_the_app_gets_no_new_chat_and_the_owner_hears_why(
    engine, fake_teams, teams_senders, installed, person, object_id, chat
):
    config = teams_config(more_plan=DM_PLAN.replace("[kval]", f"[{person}]").replace("owner: chef", "owner: chef"))
    with session_scope(engine) as session:
        teams.mark_removed(session, f"aad:{object_id}", NOW - timedelta(days=1))

    tick(engine, teams_senders, config)
    tick(engine, teams_senders, config, NOW + timedelta(hours=1))

    row = next(row for row in rows(engine) if row.item_id == "paminnelse")
    assert (row.status, row.error, row.attempts) == ("failed", "teams_app_removed", 1)
    assert fake_teams.calls_to("create") == [] and fake_teams.sent(chat) == []
    with session_scope(engine) as session:
        assert teams.conversation_at(session, f"aad:{object_id}") is None
    [report_text] = texts(fake_teams.sent(CHEF_CHAT))
    assert "Orsak: personen har tagit bort Samverkan-appen ur sin chatt i Teams." in report_text
    assert "Be personen lägga till appen Samverkan igen i Teams" in report_text


@pytest.mark.parametrize(
    ("code", "error", "forgotten", "cause"),
    [
        (
            "ConversationBlockedByUser",
            "teams_blocked",
            True,
            "mottagaren har blockerat Samverkan-appen i Teams eller tagit bort den ur chatten",
        ),
        (
            "MessageWritesBlocked",
            "teams_blocked",
            True,
            "mottagaren har blockerat Samverkan-appen i Teams eller tagit bort den ur chatten",
        ),
        (
            "BotDisabledByAdmin",
            "teams_disabled_by_admin",
            False,
            "Samverkan-appen är avstängd av organisationens Teams-administratör",
        ),
    ],
)
def test_teams_refusing_with_403_fails_the_row_for_good_and_the_owner_hears_why(
    engine, fake_teams, teams_senders, installed, code, error, forgotten, cause
):
    fake_teams.remove_bot(DIREKTION, code)
    tick(engine, teams_senders, installed)
    tick(engine, teams_senders, installed, NOW + timedelta(hours=1))

    row = next(row for row in rows(engine) if row.item_id == "veckobrev")
    assert (row.status, row.error, row.attempts) == ("failed", error, 1)
    [report_text] = reports_to_komm(fake_teams)
    assert f"Orsak: {cause}." in report_text and error not in report_text
    with session_scope(engine) as session:
        assert (teams.conversation_at(session, f"teams:{DIREKTION}") is None) == forgotten
