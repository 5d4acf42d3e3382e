"""The triage card in Teams over HTTP: its buttons with the same permission checks as in Slack; take, reopen and
the confidentiality mark as Action.Execute invokes, the card answered with the case as it stands (in place) and the
posted card updated through the fake Bot Connector; assign, answer and close as dialogs (task/fetch, task/submit)
for the clicker alone, with Swedish field errors, refusals, replays and broken data."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

from sqlmodel import select

from bot.demo import teams_activities
from storage.cases import CaseEvent, CaseEventKind, FeedbackCase
from storage.engine import session_scope
from tests.teams_support import TeamsWorld, buttons, card_text, channel, dialog_buttons, filled, submit_action
from tests.test_teams_cases import REPORT, REPORTER, report_card, submit

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

TRIAGE = "C0VMKFITTR"
IT_HEAD, IT_DEPUTY, OUTSIDER, QUALITY = "U0VMKF0010", "U0VMKF0011", "U0VMKF0012", "U0VMKF0002"
CARD = "application/vnd.microsoft.card.adaptive"
MESSAGE = "application/vnd.microsoft.activity.message"
MALFORMED = (
    "Samverkan kunde inte läsa din begäran: den såg inte ut som det Teams brukar skicka, så inget har sparats eller "
    "ändrats. Försök igen, gärna från ett nytt meddelande eller kort; om det händer igen, kontakta den som förvaltar "
    "Samverkan."
)


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


def dialog_form(task: dict) -> dict:
    """The form card a dialog shows (a task/fetch or task/submit answered with `continue`)."""
    assert task["type"] == "continue", task
    attachment = task["value"]["card"]
    assert attachment["contentType"] == CARD
    return attachment["content"]


def answered(engine) -> list[CaseEvent]:
    with session_scope(engine) as session:
        return list(session.exec(select(CaseEvent).where(CaseEvent.kind == CaseEventKind.ANSWERED)).all())


def personal_texts(world: TeamsWorld, slack_id: str) -> list[str]:
    return [card_text(activity) for activity in world.fake.sent(f"a:personal-{world.user(slack_id)['aadObjectId']}")]


def test_the_form_buttons_open_dialogs_and_the_others_act_at_once(teams_world):
    card = reported(teams_world)
    assert [button["data"]["verb"] for button in dialog_buttons(card)] == ["case_assign", "case_answer", "case_close"]
    assert {"case_take", "case_confidential"} <= {verb for verb, data in buttons(card).items() if "msteams" not in data}


def test_the_department_takes_assigns_answers_and_closes_in_dialogs(teams_world, engine):
    world = teams_world
    card, triage = reported(world), world.channel_chat(TRIAGE)
    taken = click(world, IT_HEAD, "case_take", buttons(card)["case_take"])
    assert taken["type"] == CARD and "Status: Tagen" in card_text(taken["value"])
    assert world.fake.updates() and "Status: Tagen" in card_text(world.fake.sent(channel(TRIAGE))[0])

    opened = world.fetch_dialog(IT_HEAD, buttons(card)["case_assign"], triage)
    assert opened["value"]["title"] == "Tilldela VMKF 2027-0001"
    form = dialog_form(opened)
    assert [action["type"] for action in form["actions"]] == ["Action.Submit"]  # a dialog's card submits so
    empty = world.submit_dialog(IT_HEAD, filled(form, {"assignee": ""}), triage)
    assert submit_action(dialog_form(empty))["data"]["verb"] == "case_assign"  # asked again
    assert world.submit_dialog(IT_HEAD, filled(form, {"assignee": "it-stf"}), triage) is None  # the dialog closes
    assert "Handläggare: Biträdande IT-chef" in card_text(world.fake.sent(channel(TRIAGE))[0])

    answer_form = dialog_form(world.fetch_dialog(IT_DEPUTY, buttons(card)["case_answer"], triage))
    reply = "Vi har bytt skrivarna. Hör av dig om det krånglar igen."
    assert world.submit_dialog(IT_DEPUTY, filled(answer_form, {"answer": reply}), triage) is None
    assert any(reply in text for text in personal_texts(world, REPORTER))

    close_form = dialog_form(world.fetch_dialog(IT_DEPUTY, buttons(card)["case_close"], triage))
    assert world.submit_dialog(IT_DEPUTY, filled(close_form, {"resolution": "Skrivare utbytta."}), triage) is None
    case = the_case(engine)
    assert (case.status, case.assignee, case.answer) == ("closed", "it-stf", reply)
    [post] = world.fake.sent(channel(TRIAGE))  # no form was ever posted in the channel: only the triage card
    assert "Status: Stängd" in card_text(post)


def test_a_dialog_submitted_with_bad_values_shows_swedish_errors_and_what_was_typed(teams_world, engine):
    world = teams_world
    card, triage = reported(world), world.channel_chat(TRIAGE)
    form = dialog_form(world.fetch_dialog(IT_HEAD, buttons(card)["case_answer"], triage))
    blank = dialog_form(world.submit_dialog(IT_HEAD, filled(form, {"answer": "   "}), triage))
    assert "Skriv ett svar." in card_text(blank)
    [field] = [element for element in blank["body"] if element.get("id") == "answer"]
    assert field["value"] == "   "  # what was typed, shown again
    too_long = dialog_form(world.submit_dialog(IT_HEAD, filled(form, {"answer": "å" * 5000}), triage))
    assert "Svaret får vara högst 3\xa0000 tecken." in card_text(too_long)
    assign = dialog_form(world.fetch_dialog(IT_HEAD, buttons(card)["case_assign"], triage))
    nobody = dialog_form(world.submit_dialog(IT_HEAD, filled(assign, {"assignee": "lonechef"}), triage))
    assert "Personen kan inte handlägga avdelningens ärenden." in card_text(nobody)
    case = the_case(engine)
    assert (case.status, case.assignee, case.answer) == ("new", None, None)
    assert answered(engine) == [] and world.fake.updates() == []
    assert len(personal_texts(world, REPORTER)) == 1  # the receipt alone


def test_dialog_requests_that_no_card_of_ours_sends_are_refused_politely(teams_world, engine, caplog):
    world = teams_world
    card, triage = reported(world), world.channel_chat(TRIAGE)
    case_id = the_case(engine).id
    sender = world.user(IT_HEAD)
    broken_fetches = [
        {"verb": "case_answer", "value": "x", "msteams": {"type": "task/fetch"}},  # no case id
        {"verb": "case_answer", "value": 12},  # not a text
        {"verb": "case_unknown", "value": str(case_id)},  # no such dialog
        {"value": str(case_id)},  # no verb
    ]
    answers = [world.fetch_dialog(IT_HEAD, data, triage) for data in broken_fetches]
    answers.append(world.invoke(teams_activities.invoke("task/fetch", "garbage", sender, triage))["task"])  # type: ignore[arg-type]
    answers.append(world.invoke(teams_activities.invoke("task/fetch", {"data": "x"}, sender, triage))["task"])
    form = dialog_form(world.fetch_dialog(IT_HEAD, buttons(card)["case_answer"], triage))
    good = filled(form, {"answer": "Ett svar"})
    broken_submits = [
        {key: value for key, value in good.items() if key != "metadata"},  # no case id
        {key: value for key, value in good.items() if key != "fields"},  # no field list
        {**good, "metadata": {"case_id": str(case_id)}},  # a case id that is not a number
        {**good, "metadata": "x"},
    ]
    answers += [world.submit_dialog(IT_HEAD, data, triage) for data in broken_submits]
    answers.append(world.invoke(teams_activities.invoke("task/submit", {"data": ["x"]}, sender, triage))["task"])
    for task in answers:
        assert task == {"type": "message", "value": MALFORMED}, task
    assert caplog.text.count("malformed Teams request (invoke task/") == len(answers)
    missing = world.fetch_dialog(IT_HEAD, {"verb": "case_answer", "value": "999"}, triage)
    assert missing == {"type": "message", "value": "Ärendet finns inte längre."}
    assert answered(engine) == [] and the_case(engine).status == "new" and world.fake.updates() == []


def test_others_are_refused_in_the_dialog_and_nothing_changes(teams_world, engine):
    world = teams_world
    card, triage = reported(world), world.channel_chat(TRIAGE)
    for verb in ("case_answer", "case_close", "case_assign"):
        refused = world.fetch_dialog(OUTSIDER, buttons(card)[verb], triage)
        assert refused["type"] == "message" and refused["value"].startswith("Tyvärr, du har inte behörighet")
    form = dialog_form(world.fetch_dialog(IT_HEAD, buttons(card)["case_answer"], triage))  # not the outsider's
    sneaked = world.submit_dialog(OUTSIDER, filled(form, {"answer": "Jag svarar ändå"}), triage)
    assert sneaked is not None and sneaked["type"] == "message" and "behörighet" in sneaked["value"]
    case = the_case(engine)
    assert (case.status, case.answer) == ("new", None)
    assert world.fake.updates() == [] and not any("Jag svarar ändå" in t for t in personal_texts(world, REPORTER))


def test_a_replayed_or_double_clicked_dialog_answers_the_reporter_once(teams_world, engine):
    world = teams_world
    card, triage = reported(world), world.channel_chat(TRIAGE)
    form = dialog_form(world.fetch_dialog(IT_DEPUTY, buttons(card)["case_answer"], triage))
    reply = "Skrivarna är utbytta."
    activity = teams_activities.task_submit(filled(form, {"answer": reply}), world.user(IT_DEPUTY), triage)
    assert world.post(activity).json() is None and world.post(activity).json() is None  # redelivered
    again = teams_activities.task_submit(filled(form, {"answer": reply}), world.user(IT_DEPUTY), triage)
    assert again["id"] != activity["id"] and world.post(again).json() is None  # a double-click: a new activity
    assert len(answered(engine)) == 1
    assert len([text for text in personal_texts(world, REPORTER) if reply in text]) == 1
    other = dialog_form(world.fetch_dialog(IT_DEPUTY, buttons(card)["case_answer"], triage))  # a new dialog
    assert world.submit_dialog(IT_DEPUTY, filled(other, {"answer": reply}), triage) is None
    assert len(answered(engine)) == 2  # the same text once more, on purpose, from a dialog of its own


def test_a_form_button_of_a_card_posted_before_dialogs_refreshes_the_card(teams_world, engine):
    world = teams_world
    card = reported(world)
    old = {"verb": "case_answer", "value": buttons(card)["case_answer"]["value"]}  # its Action.Execute's data
    answer = click(world, IT_HEAD, "case_answer", old)
    assert answer["type"] == CARD and dialog_buttons(answer["value"])  # the card with the dialog buttons
    assert world.fake.updates()  # the post too
    assert the_case(engine).status == "new" and len(world.fake.sent(channel(TRIAGE))) == 1


def test_others_are_refused_and_nothing_changes(teams_world, engine):
    world = teams_world
    card = reported(world)
    refused = click(world, OUTSIDER, "case_take", buttons(card)["case_take"])
    assert refused["type"] == MESSAGE and refused["value"].startswith("Tyvärr, du har inte behörighet")
    case_id = the_case(engine).id
    data = {"verb": "case_answer", "metadata": {"case_id": case_id}, "fields": {"text": "answer"}, "answer": "Ändå"}
    answer = click(world, OUTSIDER, "case_answer", data)  # a form card posted before dialogs
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
