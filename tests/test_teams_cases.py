"""`synpunkt` in Teams over HTTP: the report form as a card and its submission (Swedish field errors with what
was typed kept, nothing stored), the receipt and triage post sent through the fake Bot Connector at once, the
statistics and the help, and the message action "Registrera som synpunkt" (fetchTask/submitAction)."""

from microsoft_agents.activity import Activity
from sqlmodel import select

from bot.demo import teams_activities
from handlers.teams.request_keys import request_key
from storage.cases import FeedbackCase
from storage.engine import session_scope
from tests.teams_support import TeamsWorld, card_text, cards, channel, filled, object_id, reply_text, submit_action

pytest_plugins = ["tests.teams_support"]  # the teams_world fixture

REPORTER = "U0VMKF0020"  # the municipal chief of Arboga
TRIAGE = "C0VMKFITTR"
REPORT = {
    "category": "klagomal",
    "subject": "service:it-drift",
    "member": "arboga",
    "description": "Skrivarna i stadshuset har inte fungerat på en vecka.",
    "contact": "",
    "anonymous": "false",
    "sensitive": "false",
}
MESSAGE_ACTION = "registrera_synpunkt"


def stored(engine) -> list[FeedbackCase]:
    with session_scope(engine) as session:
        return list(session.exec(select(FeedbackCase).order_by(FeedbackCase.id)).all())


def report_card(world: TeamsWorld) -> dict:
    [card] = cards(world.say(REPORTER, "synpunkt"))
    return card


def submit(world: TeamsWorld, card: dict, values: dict[str, str]) -> dict:
    data = filled(card, values)
    return world.act(REPORTER, submit_action(card)["verb"], data)


def test_the_command_opens_the_form_and_its_submission_registers_the_case(teams_world, engine):
    world = teams_world
    card = report_card(world)
    assert "allmän handling" in card_text(card) and submit_action(card)["verb"] == "case_report"
    answer = submit(world, card, REPORT)
    assert answer["type"] == "application/vnd.microsoft.card.adaptive"
    assert "VMKF 2027-0001" in card_text(answer["value"])
    [case] = stored(engine)
    assert (case.reporter_user_id, case.department_id) == (f"aad:{object_id(REPORTER)}", "it")
    receipt = world.fake.sent(f"a:personal-{object_id(REPORTER)}")
    assert receipt and "VMKF 2027-0001" in card_text(receipt[-1])
    triage = world.fake.sent(channel(TRIAGE))
    assert triage and "Skrivarna i stadshuset" in card_text(triage[-1])


def test_bad_input_is_answered_under_the_fields_and_nothing_is_stored(teams_world, engine):
    world = teams_world
    card = report_card(world)
    answer = submit(world, card, REPORT | {"subject": "", "description": "  "})
    shown = card_text(answer["value"])
    assert "Välj en tjänst eller avdelning i listan." in shown and "Beskriv vad det gäller." in shown
    assert "klagomal" in str(answer["value"])  # the chosen category is kept
    answer = submit(world, card, REPORT | {"anonymous": "true", "contact": "070-111 22 33"})
    assert "anonym" in card_text(answer["value"]) and "070-111 22 33" in card_text(answer["value"])
    assert stored(engine) == []
    assert world.fake.sent(channel(TRIAGE)) == []


def test_a_redelivered_submission_registers_once(teams_world, engine):
    world = teams_world
    card = report_card(world)
    activity = teams_activities.invoke_action(
        "case_report", filled(card, REPORT), world.user(REPORTER), world.chat(REPORTER)
    )
    first, second = world.invoke(activity), world.invoke(activity)
    assert "VMKF 2027-0001" in card_text(first["value"])
    assert "redan gjort" in card_text(second["value"])
    assert len(stored(engine)) == 1


def test_statistics_help_and_unknown_arguments(teams_world):
    world = teams_world
    assert "Synpunkter och klagomål 2027" in reply_text(world.say(REPORTER, "synpunkt statistik"))
    assert "statistik" in reply_text(world.say(REPORTER, "synpunkt hjälp"))
    assert 'Jag förstår inte "nånting"' in reply_text(world.say(REPORTER, "synpunkt nånting"))
    assert 'Jag förstår inte "statistik 1999"' in reply_text(world.say(REPORTER, "synpunkt statistik 1999"))


def test_the_message_action_prefills_the_dialog_and_registers_with_the_link(teams_world, engine):
    world = teams_world
    author, sender, chat = world.user("U0VMKF0021"), world.user(REPORTER), world.channel_chat("C0ARBOGA01")
    text = "Lönebeskedet för januari kom <b>aldrig</b> fram till oss &amp; Surahammar."
    fetched = world.invoke(teams_activities.compose_extension_fetch(MESSAGE_ACTION, text, author, sender, chat))
    assert fetched["task"]["type"] == "continue"
    dialog = fetched["task"]["value"]["card"]["content"]
    description = next(i for i in _inputs(dialog) if i["id"] == "description")
    assert description["value"] == "Lönebeskedet för januari kom aldrig fram till oss & Surahammar."
    link = "https://teams.microsoft.com/l/message/19:c/1700000000000"
    assert link in card_text(dialog)
    assert all(action["type"] == "Action.Submit" for action in dialog["actions"])  # dialogs send Action.Submit

    data = {**dialog["actions"][0]["data"], **REPORT, "subject": "service:lon", "member": "surahammar"}
    bad = world.invoke(teams_activities.compose_extension_submit(MESSAGE_ACTION, data | {"category": ""}, text,
                                                                 author, sender, chat))  # fmt: skip
    assert bad["task"]["type"] == "continue" and stored(engine) == []
    broken = world.invoke(
        teams_activities.compose_extension_submit(MESSAGE_ACTION, {"verb": "case_report"}, text, author, sender, chat)
    )
    assert broken["task"]["type"] == "message" and "kunde inte läsa din begäran" in broken["task"]["value"]
    done = world.invoke(teams_activities.compose_extension_submit(MESSAGE_ACTION, data, text, author, sender, chat))
    assert done["task"]["type"] == "message" and "VMKF 2027-0001" in done["task"]["value"]
    [case] = stored(engine)
    assert (case.source_link, case.department_id) == (link, "loner")


def test_without_a_cases_section_everything_says_so(teams_world, engine):
    world = teams_world
    world.runtime.config = world.config.model_copy(update={"cases": None})
    assert "inte igång" in reply_text(world.say(REPORTER, "synpunkt"))
    author, sender, chat = world.user("U0VMKF0021"), world.user(REPORTER), world.channel_chat("C0ARBOGA01")
    fetched = world.invoke(teams_activities.compose_extension_fetch(MESSAGE_ACTION, "x", author, sender, chat))
    assert fetched["task"]["type"] == "message" and "inte igång" in fetched["task"]["value"]
    assert stored(engine) == []


def _inputs(node: object) -> list[dict]:
    if isinstance(node, dict):
        found = [node] if str(node.get("type", "")).startswith("Input.") else []
        return found + [i for value in node.values() for i in _inputs(value)]
    if isinstance(node, list):
        return [i for item in node for i in _inputs(item)]
    return []


def test_a_double_clicked_submit_registers_one_case(teams_world, engine):
    world = teams_world
    card = report_card(world)
    data = filled(card, REPORT)
    sender, chat = world.user(REPORTER), world.chat(REPORTER)
    for click in ("click-1", "click-2"):  # two activities, two ids: the same card, the same values
        activity = teams_activities.invoke_action("case_report", data, sender, chat, reply_to="form-1")
        world.invoke({**activity, "id": click})
    assert len(stored(engine)) == 1


def test_a_double_submitted_dialog_registers_one_case(teams_world, engine):
    world = teams_world
    sender, chat, author = (
        world.user(REPORTER),
        world.chat(REPORTER),
        teams_activities.user("author-oid", "Anna Andersson"),
    )
    fetch = teams_activities.compose_extension_fetch(MESSAGE_ACTION, "Skrivarna", author, sender, chat)
    dialog = world.invoke(fetch)["task"]["value"]["card"]["content"]
    data = {**dialog["actions"][0]["data"], **REPORT}
    for click in ("click-1", "click-2"):
        submit = teams_activities.compose_extension_submit(MESSAGE_ACTION, data, "Skrivarna", author, sender, chat)
        world.invoke({**submit, "id": click})
    assert len(stored(engine)) == 1


def test_a_submission_key_names_neither_the_conversation_nor_the_user():
    data = {"verb": "case_report", "metadata": {}, "fields": {"text": "subject"}, "subject": "Skrivare"}

    def key(object_id: str, activity_id: str) -> str:
        sender = teams_activities.user(object_id)
        chat = teams_activities.personal_chat(sender, conversation_id=f"a:personal-{object_id}")
        activity = teams_activities.invoke_action("case_report", data, sender, chat, reply_to="form-1")
        return request_key(Activity.model_validate({**activity, "id": activity_id}))

    assert key("oid-1", "1") == key("oid-2", "2")
    assert key("oid-1", "1") != request_key(
        Activity.model_validate(
            teams_activities.invoke_action(
                "case_report",
                data | {"subject": "Annat"},
                teams_activities.user("o"),
                teams_activities.personal_chat(teams_activities.user("o")),
            )
        )
    )


def test_the_message_action_keeps_a_list_as_lines(teams_world):
    world = teams_world
    author, sender, chat = world.user("U0VMKF0021"), world.user(REPORTER), world.channel_chat("C0ARBOGA01")
    text = "<p>Saknas:</p><ul><li>ett</li><li>två</li></ul>"
    fetched = world.invoke(teams_activities.compose_extension_fetch(MESSAGE_ACTION, text, author, sender, chat))
    dialog = fetched["task"]["value"]["card"]["content"]
    description = next(i for i in _inputs(dialog) if i["id"] == "description")
    assert description["value"] == "Saknas:\n- ett\n- två"
