"""Texts moved from Python into templates and labels.toml read as they did: delivery descriptions, template
errors, limits, label tables."""

import pytest

from messages.case_labels import CATEGORY_LABELS
from messages.deliveries import DeliveryKind, DeliveryWhat, Place, PlaceKind, describe
from messages.followup_labels import CHANGE_HEADING, ERROR_TEXT, EXPORT_HEADINGS, ON_TARGET_LABELS, REVISION_HEADINGS
from messages.labels import label_list, labels
from messages.mrkdwn import Mrkdwn
from messages.render import render, render_plain
from messages.template_errors import explain_template_error


def _describe(kind: DeliveryKind, place: Place, subject: str = "Tertialuppföljning 1 2027") -> str:
    return describe(DeliveryWhat(kind, subject, place))


def test_every_kind_of_message_has_its_own_description():
    person = Place(PlaceKind.PERSON, "IT-chefen")
    texts = {kind: _describe(kind, person) for kind in DeliveryKind}
    unknown = texts.pop(DeliveryKind.UNKNOWN)
    assert unknown == "Ett meddelande från Samverkan till IT-chefen"
    assert unknown not in texts.values() and len(set(texts.values())) == len(texts)


# Where each kind of message went, and how its description reads there.
PLACES = {
    DeliveryKind.FOLLOWUP_REMINDER: Place(PlaceKind.PERSON, "IT-chefen", acting_for="IT-avdelningen"),
    DeliveryKind.PLAN: Place(PlaceKind.CHANNEL, "Direktionen"),
    DeliveryKind.CASE_ANSWER: Place(PlaceKind.REPORTER),
    DeliveryKind.CASE_TRIAGE: Place(PlaceKind.TRIAGE_CHANNEL, "IT-avdelningen"),
    DeliveryKind.CASE_DIGEST: Place(PlaceKind.NAMED_CHANNEL, "#allmänt"),
    DeliveryKind.FAILURE_REPORT: Place(PlaceKind.SLACK_CHANNEL, "C0ABC"),
    DeliveryKind.FOLLOWUP_SUMMARY: Place(PlaceKind.UNKNOWN, "x"),
}
DESCRIPTIONS = {
    DeliveryKind.FOLLOWUP_REMINDER: (
        "Påminnelsen om Tertialuppföljning 1 2027 till IT-chefen, som svarar för IT-avdelningen"
    ),
    DeliveryKind.PLAN: "Utskicket ”Tertialuppföljning 1 2027” i kanalen för Direktionen",
    DeliveryKind.CASE_ANSWER: "Svaret på ärende Tertialuppföljning 1 2027 till den som lämnade ärendet",
    DeliveryKind.CASE_TRIAGE: "Registreringen av ärende Tertialuppföljning 1 2027 i triagekanalen för IT-avdelningen",
    DeliveryKind.CASE_DIGEST: "Statistiken över synpunkter och klagomål i kanalen #allmänt",
    DeliveryKind.FAILURE_REPORT: "Rapporten om ett misslyckat utskick i kanalen <#C0ABC>",
    DeliveryKind.FOLLOWUP_SUMMARY: (
        "Sammanställningen av Tertialuppföljning 1 2027 till en mottagare som inte längre finns i konfigurationen"
    ),
}


@pytest.mark.parametrize(("kind", "expected"), DESCRIPTIONS.items())
def test_a_description_says_what_went_where(kind, expected):
    text = _describe(kind, PLACES[kind])
    assert isinstance(text, Mrkdwn) and text == expected


def test_a_description_escapes_the_subject_and_the_names():
    place = Place(PlaceKind.PERSON, "<!channel> & co", acting_for="<@U1>")
    text = _describe(DeliveryKind.PLAN, place, subject="a <b|c> & d")
    assert text == "Utskicket ”a &lt;b|c&gt; &amp; d” till &lt;!channel&gt; &amp; co, som svarar för &lt;@U1&gt;"


def test_a_missing_name_in_a_template_is_named_in_code_and_escaped():
    assert explain_template_error("template: 'event' is undefined") == (
        "Meddelandet använder en uppgift som inte finns för den här punkten (`event`)"
    )
    assert explain_template_error("'x' is undefined", ["event", "a<b"]) == (
        "Meddelandet använder en uppgift som inte finns för den här punkten (`event`, `a&lt;b`)"
    )
    assert (
        explain_template_error("None has no len()")
        == "Meddelandet använder en uppgift som inte finns för den här punkten"
    )


def test_the_follow_up_form_says_how_long_a_text_may_be():
    assert ERROR_TEXT["too_long"] == "Texten är för lång; högst 3\u00a0000 tecken."


def test_labels_come_from_one_file_by_path_and_a_wrong_path_fails_loudly():
    assert (
        labels("case.categories")
        == CATEGORY_LABELS
        == {
            "klagomal": "Klagomål",
            "synpunkt": "Synpunkt",
            "forslag": "Förslag",
            "berom": "Beröm",
            "fraga": "Fråga",
        }
    )
    assert label_list("followup.export_headings.revisions") == REVISION_HEADINGS
    assert CHANGE_HEADING in EXPORT_HEADINGS and ON_TARGET_LABELS == {True: "Ja", False: "Nej", None: ""}
    with pytest.raises(KeyError):
        labels("case.nothing")
    with pytest.raises(TypeError):
        labels("followup.export_headings")
    with pytest.raises(TypeError):
        label_list("case.categories")


def test_a_template_rendered_for_a_file_and_for_a_message_is_escaped_only_for_the_message():
    """render_plain's environment is an overlay of the one environment, with its own compiled templates."""
    first = render("plan_calendar_name", short_name="A&B <x>")
    assert render_plain("plan_calendar_name", short_name="A&B <x>") == "A&B <x> kommunikationsplan"
    assert first == render("plan_calendar_name", short_name="A&B <x>") == "A&amp;B &lt;x&gt; kommunikationsplan"
