"""One mapping from domain errors to replies: a round that is not open reads right from the command and the form."""

from bot.cases.service import CaseRefused
from bot.errors import NotAllowed, UnknownPerson
from bot.followup.answers import ConcurrentSubmission
from bot.followup.rounds import RoundNotOpen
from bot.permissions import Action
from handlers.slack.replies import reply_text
from messages.followup_labels import ERROR_TEXT
from tests.conftest import local
from tests.test_followup_round import ECONOMY_HEAD, IT_HEAD, QUALITY, good_answers, open_by_command, reply, submit

OPEN = local(2027, 5, 4, 10, 0)
BETWEEN_ROUNDS = local(2027, 7, 1, 10, 0)


def test_a_round_that_is_not_open_reads_right_from_the_command_and_the_form(slack, fake_slack, runtime, clock):
    clock.set(OPEN)
    form = open_by_command(slack, fake_slack, IT_HEAD)
    clock.set(BETWEEN_ROUNDS)
    answer = submit(slack, IT_HEAD, form, good_answers(runtime.config, "it"))
    from_form = answer["view"]["blocks"][0]["text"]["text"]
    from_command = reply(slack, fake_slack, "delegera", ECONOMY_HEAD)
    assert from_form.startswith("Ingen uppföljning är öppen just nu") and "*Delårsuppföljning 2027*" in from_form
    assert from_form.startswith(from_command)  # the same calendar sentence; the form adds that answers are locked
    assert "kan inte lämnas eller ändras" in from_form and "kvalitetschefen" in from_form


def test_a_command_with_no_round_open_is_not_told_to_contact_the_quality_manager(slack, fake_slack, clock):
    clock.set(local(2027, 2, 1, 10, 0))
    expected = "Ingen uppföljning är öppen just nu. Nästa är *Tertialuppföljning 1 2027*, som öppnar måndag 3 maj 2027."
    for word, user in (("rapport", QUALITY), ("delegera", ECONOMY_HEAD)):
        assert reply(slack, fake_slack, word, user) == expected


def test_a_form_for_a_round_not_yet_open_is_told_so(runtime, clock):
    clock.set(OPEN)
    text = reply_text(RoundNotOpen("delar-2027"), runtime)
    assert text == "Den här uppföljningen har inte öppnat än, så inga svar kan lämnas än."


def test_a_form_for_a_closed_round_while_another_is_open_names_the_open_one(runtime, clock):
    clock.set(local(2027, 9, 2, 10, 0))
    text = reply_text(RoundNotOpen("t1-2027"), runtime)
    assert text.startswith("Den här uppföljningen är inte öppen längre") and "Öppen nu: Delårsuppföljning 2027." in text


def test_every_domain_error_has_a_swedish_reply(runtime):
    assert reply_text(UnknownPerson("U1"), runtime).startswith("Jag hittar dig inte")
    assert "lämna uppföljning för IT" in reply_text(NotAllowed(Action.ANSWER_FOLLOWUP, "IT"), runtime)
    assert reply_text(CaseRefused("closed", "VMKF 2027-0001"), runtime).startswith("Ärende VMKF 2027-0001 är stängt")


def test_a_refusal_a_listener_leaves_to_the_error_handler_gets_the_same_reply(slack, runtime, monkeypatch):
    def refused(**arguments):
        raise NotAllowed(Action.SEE_DELIVERY_STATUS)

    monkeypatch.setattr("bot.cases.command.statistics_reply", refused)
    answer = slack.command("/synpunkt", "statistik", user_id=IT_HEAD)
    assert answer.status == 200
    expected = reply_text(NotAllowed(Action.SEE_DELIVERY_STATUS), runtime)
    assert answer.json()["text"] == expected


def test_answers_changing_under_a_form_are_told_under_its_first_field(slack, fake_slack, runtime, clock, monkeypatch):
    clock.set(OPEN)
    form = open_by_command(slack, fake_slack, IT_HEAD)

    def changing(**arguments):
        raise ConcurrentSubmission()

    monkeypatch.setattr("bot.followup.answers.submit", changing)
    answer = submit(slack, IT_HEAD, form, good_answers(runtime.config, "it"))
    first = next(block["block_id"] for block in form["blocks"] if block["type"] == "input")
    assert answer == {"response_action": "errors", "errors": {first: ERROR_TEXT["concurrent"]}}
