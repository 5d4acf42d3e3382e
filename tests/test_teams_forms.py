"""Neutral forms as Adaptive Cards 1.5 for Teams: every form the app builds accepted by the Adaptive Cards library,
read back as Slack's reader reads the same form, errors and typed values shown again, paged within 28 KB."""

import json

import pytest

from bot.followup import answers as answering
from messages import case_modals
from messages.followup_form import answer_form, chooser_form, notice_form
from messages.form import (
    ChoiceField,
    FieldValue,
    Form,
    FormValues,
    Option,
    Paging,
    Part,
    Text,
    TextField,
    Toggle,
    fields_of,
)
from messages.slack.form import modal, read_view
from messages.teams.card import card_attachment
from messages.teams.form import (
    CARD_BYTE_LIMIT,
    SubmissionError,
    form_card,
    page_after,
    pages,
    read_submission,
    submission_metadata,
)
from messages.teams.limits import ACTIVITY_LIMIT
from storage.engine import session_scope
from tests.adaptive_cards import assert_valid_cards
from tests.conftest import local
from tests.service_calls import by
from tests.test_forms import filled, paged_form, sample_form

UNSET = object()


def inputs_of(card: dict) -> list[dict]:
    return [element for element in card["body"] if element["type"].startswith("Input.")]


def submitted(card: dict, typed: dict[str, FieldValue] | None = None, button: int = 0) -> dict:
    """The data Teams sends for `card`'s submit button (or its button `button`): our data with each input's value
    as a string beside it, as typed in `typed` (neutral values, by field id), else as shown."""
    typed = typed or {}
    action = card["actions"][button]
    data = dict(action["data"])
    for element in inputs_of(card):
        given = typed.get(element["id"], UNSET)
        if given is UNSET:
            data[element["id"]] = element.get("value", element.get("valueOff", ""))
        elif isinstance(given, bool):
            data[element["id"]] = element["valueOn"] if given else element["valueOff"]
        elif isinstance(given, tuple):
            data[element["id"]] = ",".join(given)
        else:
            data[element["id"]] = given or ""
    return data


def all_parts(form: Form) -> tuple[Part, ...]:
    """The form's parts and every paged section's."""
    return form.parts + tuple(part for section in (form.paging.sections if form.paging else ()) for part in section)


def slack_typed(form: Form, typed: dict[str, FieldValue]) -> dict[str, object]:
    """The same typed values as the Slack test helper `filled` takes them (an emptied text input: Slack sends
    null)."""
    fields = {field.id: field for field in fields_of(all_parts(form))}
    result: dict[str, object] = {}
    for field_id, value in typed.items():
        if isinstance(fields[field_id], Toggle):
            result[field_id] = [field_id] if value else []
        elif isinstance(value, tuple):
            result[field_id] = list(value)
        else:
            result[field_id] = value or None
    return result


def real_forms(example_config, engine) -> dict[str, Form]:
    """Every form the app builds, filled from the example association."""
    config = example_config
    services = [(s.id, s.name) for s in config.services]
    departments = [(d.id, d.name) for d in config.departments]
    members = [(m.id, m.name) for m in config.members]
    person = config.person("it-chef")
    with session_scope(engine) as session:
        data = answering.form_data(
            **by(session, config, person), round_id="t1-2027", department_id="it", now=local(2027, 5, 4, 10, 0)
        )
    return {
        "report": case_modals.report_form(services, departments, members),
        "report from a message": case_modals.report_form(
            services, departments, members, "Text från *meddelandet*", "https://x.slack.com/archives/C1/p1"
        ),
        "report notice": case_modals.notice_form("Ärende *2027-1* är registrerat."),
        "assign": case_modals.assign_form(1, "2027-1", [("it-chef", "IT-chef"), ("ekonomichef", "Ekonomichef")]),
        "answer": case_modals.answer_form(1, "2027-1", anonymous=False),
        "answer anonymous": case_modals.answer_form(1, "2027-1", anonymous=True),
        "close": case_modals.close_form(1, "2027-1"),
        "followup answers": answer_form(data),
        "followup chooser": chooser_form(
            [(round_, department) for round_ in config.followup_rounds for department in config.departments]
        ),
        "followup notice": notice_form("Sparat."),
        "sample": sample_form(),
    }


def test_every_form_the_app_builds_is_a_card_the_library_accepts(example_config, engine) -> None:
    forms = real_forms(example_config, engine)
    cards = [form_card(form) for form in forms.values()]
    cards += [form_card(forms["sample"], values=FormValues({"name": "x"}), errors={"name": "Skriv ett namn."})]
    paged = paged_form(200)
    cards += [form_card(paged, page=page) for page in range(len(pages(paged)))]
    assert_valid_cards(cards)
    assert all(len(json.dumps(card, ensure_ascii=False).encode()) <= CARD_BYTE_LIMIT for card in cards)


def test_a_form_card_carries_every_part() -> None:
    card = form_card(sample_form())
    body = card["body"]
    assert body[0] == {
        "type": "TextBlock",
        "text": "Prov",
        "wrap": True,
        "size": "Large",
        "weight": "Bolder",
        "style": "heading",
    }
    assert body[1] == {"type": "TextBlock", "text": "**Rubrik** med text", "wrap": True}
    assert body[2] == {"type": "TextBlock", "text": "Det finstilta", "wrap": True, "isSubtle": True, "size": "Small"}
    name, story, story_hint, subject, many, anonymous, sensitive = body[3:]
    assert name == {
        "type": "Input.Text",
        "id": "name",
        "label": "Namn",
        "isMultiline": False,
        "maxLength": 10,
        "value": "Anna Ander",
        "isRequired": True,
        "errorMessage": "Fyll i det här fältet.",
    }
    assert story == {
        "type": "Input.Text",
        "id": "story",
        "label": "Berätta",
        "isMultiline": True,
        "placeholder": "Skriv här",
    }
    assert story_hint == {
        "type": "TextBlock",
        "text": "Kort",
        "wrap": True,
        "isSubtle": True,
        "size": "Small",
        "spacing": "None",
    }
    assert subject["type"] == "Input.ChoiceSet" and subject["style"] == "compact" and subject["isMultiSelect"] is False
    assert subject["choices"] == [
        {"title": "Tjänster: A", "value": "service:a"},
        {"title": "Avdelningar: B", "value": "department:b"},
    ]
    assert subject["value"] == "department:b"
    assert many["isMultiSelect"] is True and many["separator"] is True and "value" not in many
    assert anonymous == {
        "type": "Input.Toggle",
        "id": "anonymous",
        "label": "Anonymitet",
        "title": "Jag vill vara anonym",
        "valueOn": "true",
        "valueOff": "false",
        "value": "true",
    }
    assert sensitive["value"] == "false" and "isRequired" not in sensitive
    (submit,) = card["actions"]
    data = {
        "verb": "sample",
        "metadata": {"case_id": 7},
        "fields": {"text": "name,story", "choice": "subject", "choices": "many", "toggle": "anonymous,sensitive"},
    }
    assert submit == {
        "type": "Action.Execute",
        "title": "Skicka",
        "verb": "sample",
        "data": data,
        "style": "positive",
        "fallback": {"type": "Action.Submit", "title": "Skicka", "data": data, "style": "positive"},
    }


@pytest.mark.parametrize(
    "typed",
    [
        {},
        {"story": "Det hände\nigår", "many": ("x", "z"), "anonymous": False, "sensitive": True},
        {"name": "", "story": "", "subject": None, "many": (), "anonymous": False},
        {"name": "Bo", "subject": "service:a", "many": ("y",)},
    ],
)
def test_a_card_filled_in_teams_reads_back_as_the_same_form_filled_in_slack(typed) -> None:
    form = sample_form()
    verb, values = read_submission(submitted(form_card(form), typed))
    assert verb == "sample"
    assert values == read_view(filled(modal(form), slack_typed(form, typed)))


def test_real_forms_read_back_as_on_slack(example_config, engine) -> None:
    for name, form in real_forms(example_config, engine).items():
        card = form_card(form)
        if form.submit is None:
            assert "actions" not in card, name
            continue
        first = fields_of(all_parts(form))[0]
        typed: dict[str, FieldValue] = {first.id: "x" if isinstance(first, TextField) else None}
        verb, values = read_submission(submitted(card, typed))
        assert verb == form.kind, name
        assert values == read_view(filled(modal(form), slack_typed(form, typed))), name


def test_an_action_submit_message_value_reads_the_same_and_crlf_is_a_newline() -> None:
    data = submitted(form_card(sample_form()), {"story": "ett\r\ntvå"})
    verb, values = read_submission(data)
    assert values.text("story") == "ett\ntvå"
    assert submission_metadata(data) == {"case_id": 7}


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "no verb"),
        ({"verb": "sample"}, "no fields"),
        ({"verb": "sample", "fields": {"date": "a"}, "a": "1"}, "field kind 'date'"),
        ({"verb": "sample", "fields": {"text": ["a"]}}, "no fields"),
        ({"verb": 3, "fields": {}}, "no verb"),
    ],
)
def test_data_no_card_of_ours_sends_is_refused(data, error) -> None:
    with pytest.raises(SubmissionError, match=error):
        read_submission(data)
    with pytest.raises(SubmissionError):
        submission_metadata({"metadata": "x"})


def test_errors_are_shown_in_red_under_their_fields_with_what_was_typed() -> None:
    typed = FormValues({"name": "Anna", "story": None, "subject": "service:a", "many": ("x", "y"), "anonymous": False})
    card = form_card(sample_form(), values=typed, errors={"name": "Skriv ett kortare namn.", "many": "Välj högst ett."})
    body = card["body"]
    assert body[1] == {
        "type": "TextBlock",
        "text": "Något behöver rättas: se texten under fälten nedan.",
        "wrap": True,
        "color": "Attention",
        "weight": "Bolder",
    }
    by_id = {element.get("id"): index for index, element in enumerate(body)}
    assert body[by_id["name"]]["value"] == "Anna"
    assert body[by_id["name"] + 1] == {
        "type": "TextBlock",
        "text": "Skriv ett kortare namn.",
        "wrap": True,
        "color": "Attention",
        "spacing": "None",
    }
    assert body[by_id["many"]]["value"] == "x,y" and body[by_id["many"] + 1]["text"] == "Välj högst ett."
    assert "value" not in body[by_id["story"]]  # emptied by the user: not filled in again
    assert body[by_id["subject"]]["value"] == "service:a"
    assert body[by_id["anonymous"]]["value"] == "false"  # unticked although ticked from the start
    assert body[by_id["sensitive"]]["value"] == "false"  # not sent: its initial value
    assert [e["text"] for e in form_card(sample_form())["body"] if e.get("color") == "Attention"] == []
    elsewhere = form_card(sample_form(), errors={"i9|value": "Någon annan sparade samtidigt."})["body"]
    assert elsewhere[2] == {
        "type": "TextBlock",
        "text": "Någon annan sparade samtidigt.",
        "wrap": True,
        "color": "Attention",
    }
    _, again = read_submission(submitted(card))
    assert again.values["name"] == "Anna" and again.choices("many") == ("x", "y")


def test_a_paged_form_is_a_page_at_a_time_within_28_kb_in_whole_sections() -> None:
    form = paged_form(200)
    split = pages(form)
    assert len(split) > 2
    assert [part for page in split for part in page] == [p for section in form.paging.sections for p in section]
    cards = [form_card(form, page=page) for page in range(len(split))]
    assert all(len(json.dumps(card, ensure_ascii=False).encode()) <= CARD_BYTE_LIMIT for card in cards)
    metadata = [card["actions"][0]["data"]["metadata"] for card in cards]
    assert metadata == [{"round": "r", "page": page, "pages": len(split)} for page in range(len(split))]
    titles = [[action["title"] for action in card["actions"]] for card in cards]
    assert titles == [
        ["Spara och fortsätt"],
        *[["Spara och fortsätt", "Föregående sida"]] * (len(split) - 2),
        ["Spara", "Föregående sida"],
    ]
    assert [page_after(submitted(card)) for card in cards] == list(range(1, len(split) + 1))
    back = submitted(cards[2], {"i0|value": "ignored"}, button=1)
    assert page_after(back) == 1 and back["verb"] == "followup_form" and back["move"] == "previous"
    assert read_submission(back)[1] == read_submission(submitted(cards[2], button=0))[1]
    assert cards[2]["actions"][1]["verb"] == "followup_form" and "style" not in cards[2]["actions"][1]
    with pytest.raises(SubmissionError, match="no page"):
        page_after(submitted(form_card(sample_form())))
    assert cards[1]["body"][-1]["text"] == f"Sida 2 av {len(split)}."
    shown = [element["id"] for element in inputs_of(cards[1])]
    typed = {"status": "met", "value": "65,5", "comment": "Färre svar än väntat i år, vi ser över enkäten till hösten."}
    again = form_card(
        form,
        page=1,
        values=FormValues({field_id: typed.get(field_id.partition("|")[2]) for field_id in shown}),
        errors={field_id: "Skriv ett tal, till exempel 12 eller 12,5." for field_id in shown[:5]},
    )
    assert len(json.dumps(card_attachment(again), ensure_ascii=False).encode()) <= ACTIVITY_LIMIT
    ids = [e["id"] for card in cards for e in inputs_of(card)]
    assert ids == [f.id for section in form.paging.sections for f in fields_of(section)]
    one = form_card(paged_form(3))
    assert one["actions"][0]["data"]["metadata"] == {"round": "r", "page": 0, "pages": 1}
    assert not any("Sida" in e.get("text", "") for e in one["body"])
    with pytest.raises(ValueError, match=f"not a page {len(split)}"):
        form_card(form, page=len(split))


def test_field_ids_that_our_submit_data_uses_are_refused() -> None:
    form = Form(title="T", kind="k", submit="S", parts=(TextField("verb", "V"),))
    with pytest.raises(ValueError, match="reserved"):
        form_card(form)


def test_a_choice_lists_100_options_as_on_slack_and_says_how_many_are_left_out() -> None:
    options = tuple(Option(str(n), f"Val {n}") for n in range(130))
    form = Form(
        title="T",
        kind="k",
        submit="S",
        parts=(Text("ord " * 2000), ChoiceField("c", "Välj", options, initial=("120",), overflow="Fråga *oss*.")),
        paging=Paging((), next_submit="N"),
    )
    card = form_card(form)
    (choice,) = inputs_of(card)
    assert len(choice["choices"]) == 100 and "value" not in choice
    assert card["body"][-1]["text"] == "30 val till ryms inte i listan. Fråga **oss**."
    assert card["actions"][0]["data"]["metadata"] == {"page": 0, "pages": 1}
    assert_valid_cards([card])


def test_a_forged_value_longer_than_its_field_is_shown_again_cut_to_the_field_so_the_card_still_fits() -> None:
    form = Form(
        kind="demo",
        title="Formul\u00e4r",
        submit="Skicka",
        parts=(TextField("comment", "Kommentar", multiline=True, max_length=3000, optional=True),),
    )
    typed = FormValues({"comment": "\u00e5" * 30_000})
    card = form_card(form, values=typed, errors={"comment": "F\u00f6r l\u00e5ngt."})
    shown = next(element for element in card["body"] if element.get("id") == "comment")
    assert shown["value"] == "\u00e5" * 3000
    assert len(json.dumps(card_attachment(card), ensure_ascii=False).encode()) <= ACTIVITY_LIMIT
