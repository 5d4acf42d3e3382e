"""`uppfoljning` in Teams over HTTP: the form as an Adaptive Card (opened by the command, by the invitation's
button, or after the chooser), page submissions by Action.Execute with Swedish errors under the fields and what
was typed kept, replays, the subcommands (status, historik, delegera with a mention, rapport) and refusals."""

from sqlalchemy import func, select

from bot.config.followup_model import Goal, Indicator
from bot.demo import teams_activities
from bot.followup.rounds import indicators_for
from bot.tick import run_tick
from storage.engine import session_scope
from storage.followup import FollowupAnswer, FollowupRevision
from tests.conftest import local
from tests.teams_support import (
    STRANGER,
    TeamsWorld,
    buttons,
    card_text,
    cards,
    filled,
    object_id,
    reply_text,
    submit_action,
)

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

IT_HEAD, ECONOMY_HEAD, QUALITY, DIRECTOR = "U0VMKF0010", "U0VMKF0016", "U0VMKF0002", "U0VMKF0001"
OPEN = local(2027, 5, 4, 10, 0)
CARD = "application/vnd.microsoft.card.adaptive"


def counts(engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        answers = session.scalar(select(func.count()).select_from(FollowupAnswer))
        return answers, session.scalar(select(func.count()).select_from(FollowupRevision))


def form_of(world: TeamsWorld, user: str) -> dict:
    """The card the bot replies to `uppfoljning`."""
    [card] = cards(world.say(user, "uppfoljning"))
    return card


def good(world: TeamsWorld, department_id: str) -> dict[str, str]:
    values = {}
    for _, indicator in indicators_for(world.config, department_id):
        values[f"{indicator.id}|status"] = "met"
        values[f"{indicator.id}|value"] = "Digital lönespecifikation" if indicator.unit == "text" else "88"
        values[f"{indicator.id}|comment"] = "Enligt plan"
    return values


def submit(world: TeamsWorld, user: str, card: dict, values: dict[str, str], activity_id: str | None = None) -> dict:
    """Submit the form card with `values` typed; the invoke response's body."""
    action = submit_action(card)
    activity = teams_activities.invoke_action(action["verb"], filled(card, values), world.user(user), world.chat(user))
    if activity_id:
        activity["id"] = activity_id
    return world.invoke(activity)


def say(world: TeamsWorld, user: str, text: str, **fields: object) -> str:
    return reply_text(world.say(user, text, **fields))


def test_the_form_is_answered_with_errors_first_then_saved_once(teams_world, clock, engine):
    world = teams_world
    clock.set(OPEN)
    card = form_of(world, IT_HEAD)
    assert "IT-avdelningen" in card_text(card)
    numeric = next(i for _, i in indicators_for(world.config, "it") if i.unit != "text")
    wrong = good(world, "it") | {f"{numeric.id}|value": "åttioåtta", f"{numeric.id}|status": ""}

    refused = submit(world, IT_HEAD, card, wrong)
    assert refused["statusCode"] == 200 and refused["type"] == CARD
    shown = card_text(refused["value"])
    assert "Välj en status." in shown and "Skriv" in shown
    assert "åttioåtta" in shown  # what was typed is kept
    assert counts(engine) == (0, 0)  # nothing half-written

    saved = submit(world, IT_HEAD, refused["value"], good(world, "it"), activity_id="submit-1")
    assert "Tack! Svaren för IT-avdelningen är sparade." in card_text(saved["value"])
    stored = counts(engine)
    assert stored[0] == len(indicators_for(world.config, "it"))

    again = submit(world, IT_HEAD, refused["value"], good(world, "it"), activity_id="submit-1")  # redelivered
    assert "redan sparade" in card_text(again["value"])
    assert counts(engine) == stored


def test_the_invitation_button_opens_the_form_in_its_place(teams_world, clock, engine):
    world = teams_world
    clock.set(local(2027, 5, 3, 8, 35))
    run_tick(engine, world.runtime.senders, world.config, clock.now())
    invitation = world.fake.sent(f"a:personal-{object_id(IT_HEAD)}")[-1]
    [card] = [a["content"] for a in invitation["attachments"]]
    data = buttons(card)["followup_open_form"]
    opened = world.act(IT_HEAD, "followup_open_form", data)
    assert opened["type"] == CARD and "IT-avdelningen" in card_text(opened["value"])
    assert submit_action(opened["value"])["verb"] == "followup_form"


def test_delegation_by_mention_then_the_delegate_chooses(teams_world, clock):
    world = teams_world
    clock.set(OPEN)
    it_head = world.user(IT_HEAD)
    mention = {"type": "mention", "text": f"<at>{it_head['name']}</at>", "mentioned": it_head}
    text = f"uppfoljning delegera <at>{it_head['name']}</at>"
    handed = say(world, ECONOMY_HEAD, text, entities=[mention])
    assert "IT-chefen (exempel) svarar nu för Ekonomiavdelningen" in handed

    chooser = form_of(world, IT_HEAD)
    assert submit_action(chooser)["verb"] == "followup_choose"
    chosen = submit(world, IT_HEAD, chooser, {"choice": "t1-2027|ekonomi"})
    assert "Ekonomiavdelningen" in card_text(chosen["value"])
    assert submit_action(chosen["value"])["data"]["metadata"]["department"] == "ekonomi"


def test_subcommands_and_their_refusals(teams_world, clock):
    world = teams_world
    clock.set(OPEN)
    assert "ingen ställföreträdare" in say(world, ECONOMY_HEAD, "uppfoljning delegera")
    assert "hittar inte" in say(world, ECONOMY_HEAD, "uppfoljning delegera någon")
    assert "inte behörighet" in say(world, DIRECTOR, "uppföljning rapport")
    assert "skickas till dig" in say(world, QUALITY, "/uppfoljning rapport")
    assert say(world, STRANGER, "uppfoljning status").startswith("Jag hittar dig inte")
    assert "Tertialuppföljning 1 2027" in say(world, QUALITY, "uppfoljning status")
    assert "känner inte igen nåt" in say(world, DIRECTOR, "uppfoljning nåt")


def test_a_stranger_gets_a_notice_instead_of_a_form(teams_world, clock):
    clock.set(OPEN)
    assert "Jag hittar dig inte" in card_text(form_of(teams_world, STRANGER))


def test_a_broken_submission_is_refused_politely_and_changes_nothing(teams_world, clock, engine):
    world = teams_world
    clock.set(OPEN)
    card = form_of(world, IT_HEAD)
    data = filled(card, good(world, "it"))
    for broken in ({**data, "metadata": {"round": "t1-2027"}}, {**data, "fields": "x"}, {"verb": "followup_form"}):
        answer = world.act(IT_HEAD, "followup_form", broken)
        assert "kunde inte läsa din begäran" in card_text(answer["value"])
    assert counts(engine) == (0, 0)


def test_a_long_form_is_paged_and_each_page_saved_forward_and_back(teams_world, clock, engine):
    world = teams_world
    indicators = [Indicator(id=f"ind-{n:02d}", name=f"Indikator {n}", unit="number", target="<= 5") for n in range(80)]
    world.runtime.config = world.config.model_copy(
        update={"goals": [Goal(id="stort", name="Stort mål", indicators=indicators)]}
    )
    clock.set(OPEN)
    first = form_of(world, IT_HEAD)
    metadata = submit_action(first)["data"]["metadata"]
    assert metadata["page"] == 0 and metadata["pages"] > 1
    typed = {f"ind-{n:02d}|status": "met" for n in range(80)} | {f"ind-{n:02d}|value": "3" for n in range(80)}
    second = submit(world, IT_HEAD, first, typed)
    assert submit_action(second["value"])["data"]["metadata"]["page"] == 1
    on_first = counts(engine)[0]
    assert 0 < on_first < 80  # the first page's answers, and only those
    [back] = [a for a in _execute_actions(second["value"]) if a["data"].get("move") == "previous"]
    data = filled(second["value"], typed) | back["data"]
    again = world.invoke(
        teams_activities.invoke_action("followup_form", data, world.user(IT_HEAD), world.chat(IT_HEAD))
    )
    assert submit_action(again["value"])["data"]["metadata"]["page"] == 0  # back on the first, the second saved
    assert counts(engine)[0] > on_first


def _execute_actions(card: dict) -> list[dict]:
    return [a for a in card.get("actions", []) if a.get("type") == "Action.Execute"]
