"""The triage card in Teams over HTTP: its buttons as Action.Execute invokes with the same permission checks as
in Slack, the card answered with the case as it stands (in place) and the posted card updated through the fake Bot
Connector, the forms some buttons open, their Swedish refusals, and broken data."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from bot.demo import teams_activities
from storage.cases import CaseEvent, CaseEventKind, FeedbackCase
from storage.engine import session_scope
from tests.teams_support import TeamsWorld, buttons, card_text, channel, filled, submit_action
from tests.test_teams_cases import REPORT, REPORTER, report_card, submit

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

TRIAGE = "C0VMKFITTR"
IT_HEAD, IT_DEPUTY, OUTSIDER, QUALITY = "U0VMKF0010", "U0VMKF0011", "U0VMKF0012", "U0VMKF0002"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"


def the_case(engine) -> FeedbackCase:
    with session_scope(engine) as session:
        [case] = session.exec(select(FeedbackCase)).all()
        return case


def reported(world: TeamsWorld) -> dict:
    """Report a case; the triage card as posted in the triage channel."""
    submit(world, report_card(world), REPORT)
    [post] = world.fake.sent(channel(TRIAGE))
    [card] = [attachment["content"] for attachment in post["attachments"]]
    return card


def click(world: TeamsWorld, user: str, verb: str, data: dict) -> dict:
    return world.act(user, verb, data, world.channel_chat(TRIAGE))


def test_the_department_takes_assigns_answers_and_closes_in_place(teams_world, engine):
    world = teams_world
    card = reported(world)
    taken = click(world, IT_HEAD, "case_take", buttons(card)["case_take"])
    assert taken["type"] == CARD and "Status: Tagen" in card_text(taken["value"])
    assert world.fake.updates() and "Status: Tagen" in card_text(world.fake.sent(channel(TRIAGE))[0])

    same = click(world, IT_HEAD, "case_assign", buttons(card)["case_assign"])
    assert same["type"] == CARD and "Status: Tagen" in card_text(same["value"])  # the triage card stays
    form = cards_sent(world)[-1]
    assert submit_action(form)["verb"] == "case_assign"
    empty = click(world, IT_HEAD, "case_assign", filled(form, {"assignee": ""}))
    assert empty["type"] == CARD and submit_action(empty["value"])["verb"] == "case_assign"  # asked again
    done = click(world, IT_HEAD, "case_assign", filled(form, {"assignee": "it-stf"}))
    assert "Klart" in card_text(done["value"])

    click(world, IT_DEPUTY, "case_answer", buttons(card)["case_answer"])
    answer_form = cards_sent(world)[-1]
    reply = "Vi har bytt skrivarna. Hör av dig om det krånglar igen."
    click(world, IT_DEPUTY, "case_answer", filled(answer_form, {"answer": reply}))
    personal = world.fake.sent(f"a:personal-{world.user(REPORTER)['aadObjectId']}")
    assert any(reply in card_text(activity) for activity in personal)

    click(world, IT_DEPUTY, "case_close", buttons(card)["case_close"])
    close_form = cards_sent(world)[-1]
    closed = click(world, IT_DEPUTY, "case_close", filled(close_form, {"resolution": "Skrivare utbytta."}))
    assert "Klart" in card_text(closed["value"])
    case = the_case(engine)
    assert (case.status, case.assignee, case.answer) == ("closed", "it-stf", reply)
    assert "Status: Stängd" in card_text(world.fake.sent(channel(TRIAGE))[0])


def cards_sent(world: TeamsWorld) -> list[dict]:
    """The cards the bot posted in the triage channel (the triage post, then the forms as replies)."""
    return [a["content"] for activity in world.fake.sent(channel(TRIAGE)) for a in activity.get("attachments", [])]


def test_others_are_refused_and_nothing_changes(teams_world, engine):
    world = teams_world
    card = reported(world)
    for verb in ("case_take", "case_answer", "case_close", "case_assign"):
        refused = click(world, OUTSIDER, verb, buttons(card)[verb])
        assert refused["type"] == MESSAGE and refused["value"].startswith("Tyvärr, du har inte behörighet")
    case_id = the_case(engine).id
    data = {"verb": "case_answer", "metadata": {"case_id": case_id}, "fields": {"text": "answer"}, "answer": "Ändå"}
    answer = click(world, OUTSIDER, "case_answer", data)
    assert "behörighet" in card_text(answer["value"])
    case = the_case(engine)
    assert (case.status, case.answer) == ("new", None)
    assert world.fake.updates() == []


def test_a_confidential_case_is_shown_in_full_only_to_handlers(teams_world):
    world = teams_world
    card = reported(world)
    marked = click(world, QUALITY, "case_confidential", buttons(card)["case_confidential"])
    assert "Skrivarna" not in card_text(marked["value"])
    shown = click(world, IT_DEPUTY, "case_show", buttons(marked["value"])["case_show"])
    assert shown["type"] == MESSAGE and "Skrivarna i stadshuset" in shown["value"]
    refused = click(world, REPORTER, "case_show", buttons(marked["value"])["case_show"])
    assert "behörighet" in refused["value"] and "Skrivarna" not in refused["value"]


def test_buttons_of_a_removed_or_garbled_case_say_so(teams_world):
    world = teams_world
    for verb, value in (("case_take", "999"), ("case_answer", "x"), ("case_show", "")):
        answer = click(world, IT_HEAD, verb, {"verb": verb, "value": value})
        text = answer["value"] if answer["type"] == MESSAGE else card_text(answer["value"])
        assert text.startswith(("Samverkan kunde inte läsa din begäran", "Ärendet finns inte längre."))


def test_a_redelivered_click_takes_the_case_once_and_shows_it_as_it_is(teams_world, engine):
    world = teams_world
    card = reported(world)
    activity = teams_activities.invoke_action(
        "case_take", buttons(card)["case_take"], world.user(IT_HEAD), world.channel_chat(TRIAGE)
    )
    first, second = world.invoke(activity), world.invoke(activity)
    assert "Status: Tagen" in card_text(first["value"]) and "Status: Tagen" in card_text(second["value"])
    with session_scope(engine) as session:
        events = session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.TAKEN)).all()
    assert len(events) == 1


def test_a_fallback_submit_in_a_channel_shows_the_answer_to_the_clicker_alone(teams_world):
    world = teams_world
    card = reported(world)
    marked = click(world, QUALITY, "case_confidential", buttons(card)["case_confidential"])
    data = buttons(marked["value"])["case_show"]
    sender, chat = world.user(IT_DEPUTY), world.channel_chat(TRIAGE)
    world.post(teams_activities.submit(data, sender, chat, reply_to="triage-1", expect_replies=False))
    in_channel = [card_text(activity) for activity in world.fake.sent(channel(TRIAGE))]
    assert all("Skrivarna" not in text for text in in_channel[1:])
    assert "Svaret visas bara" in in_channel[-1]
    personal = world.fake.sent(f"a:personal-{world.user(IT_DEPUTY)['aadObjectId']}")
    assert any("Skrivarna i stadshuset" in card_text(activity) for activity in personal)


def test_a_fallback_submit_updates_the_clicked_card_in_place(teams_world):
    world = teams_world
    card = reported(world)
    sender, chat = world.user(IT_HEAD), world.channel_chat(TRIAGE)
    [post] = world.fake.sent(channel(TRIAGE))
    world.post(
        teams_activities.submit(buttons(card)["case_take"], sender, chat, reply_to=post["id"], expect_replies=False)
    )
    [updated] = world.fake.sent(channel(TRIAGE))  # no new copy of the card
    assert "Status: Tagen" in card_text(updated)


def test_concurrent_commands_on_a_small_thread_pool_do_not_starve_it(teams_world):
    world = teams_world

    async def small_pool() -> None:
        asyncio.get_running_loop().set_default_executor(ThreadPoolExecutor(max_workers=1))

    world.runtime.loop.run(small_pool())
    with ThreadPoolExecutor(max_workers=3) as clients:
        answers = list(clients.map(lambda user: world.say(user, "uppfoljning status"), (IT_HEAD, IT_DEPUTY, QUALITY)))
    assert all(answer.replies for answer in answers)
