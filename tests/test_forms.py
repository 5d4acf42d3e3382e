"""The neutral form model and its Slack rendering: a form rendered, filled in as Slack would, and read back; Slack's
limits (100 blocks a modal, label, option and title lengths, 100 options a select, 3,000 characters a section)."""

import json
from dataclasses import replace

from messages.case_modals import ReportValues, report_form, report_values
from messages.followup_form import answers_from, chooser_form, chosen, field_id
from messages.form import (
    ChoiceField,
    Divider,
    Form,
    FormValues,
    Option,
    Paging,
    Text,
    TextField,
    Toggle,
    fields_of,
    notice,
)
from messages.slack.form import MODAL_BLOCK_LIMIT, errors_response, modal, pages, read_view

UNSET = object()


def filled(view: dict, typed: dict[str, object]) -> dict:
    """`view` as Slack sends it back: each input as typed in `typed` (by block id), else as pre-filled."""
    values: dict[str, dict] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, given = block["element"], typed.get(block["block_id"], UNSET)
        kind = element["type"]
        if kind == "plain_text_input":
            state = {"value": element.get("initial_value") if given is UNSET else given}
        elif kind == "static_select":
            chosen = (element.get("initial_option") or {}).get("value") if given is UNSET else given
            state = {
                "selected_option": {"text": {"type": "plain_text", "text": "x"}, "value": chosen} if chosen else None
            }
        else:  # checkboxes and multi_static_select
            initial = [option["value"] for option in element.get("initial_options", [])]
            chosen_values = initial if given is UNSET else given
            state = {"selected_options": [{"value": value} for value in chosen_values]}
        values[block["block_id"]] = {element["action_id"]: {"type": kind, **state}}
    return {**view, "id": "V1", "state": {"values": values}}


def sample_form() -> Form:
    return Form(
        title="Prov",
        kind="sample",
        submit="Skicka",
        metadata={"case_id": 7},
        parts=(
            Text("*Rubrik* med text"),
            Text("Det finstilta", subtle=True),
            TextField("name", "Namn", max_length=10, initial="Anna Andersson-Berg"),
            TextField("story", "Berätta", multiline=True, optional=True, placeholder="Skriv här", hint="Kort"),
            ChoiceField(
                "subject",
                "Vad",
                (Option("service:a", "A", "Tjänster"), Option("department:b", "B", "Avdelningar")),
                initial=("department:b",),
            ),
            Divider(),
            ChoiceField("many", "Flera", (Option("x", "X"), Option("y", "Y"), Option("z", "Z")), multiple=True),
            Toggle("anonymous", "Anonymitet", "Jag vill vara anonym", initial=True),
            Toggle("sensitive", "Känsligt", "Känsliga uppgifter"),
        ),
    )


def test_a_form_filled_in_slack_is_read_back_by_field_id():
    view = modal(sample_form())
    submitted = read_view(filled(view, {"story": "Det hände", "many": ["x", "z"]}))
    assert submitted.text("name") == "Anna Ander"  # the pre-fill is cut to the field's max length
    assert submitted.text("story") == "Det hände"
    assert submitted.value("subject") == "department:b"
    assert submitted.choices("many") == ("x", "z")
    assert submitted.toggled("anonymous") is True and submitted.toggled("sensitive") is False
    assert json.loads(view["private_metadata"]) == {"case_id": 7}


def test_nothing_typed_or_chosen_reads_as_empty():
    view = modal(sample_form())
    submitted = read_view(filled(view, {"name": None, "subject": None, "many": [], "anonymous": []}))
    assert (submitted.text("name"), submitted.value("name"), submitted.value("subject")) == ("", None, None)
    assert (submitted.choices("many"), submitted.toggled("anonymous")) == ((), False)
    absent = FormValues({})
    assert (absent.text("x"), absent.value("x"), absent.choices("x"), absent.toggled("x")) == ("", None, (), False)


def test_the_slack_modal_carries_every_part():
    view = modal(sample_form())
    assert view["callback_id"] == "sample" and view["submit"]["text"] == "Skicka" and view["close"]["text"] == "Avbryt"
    kinds = [block["type"] for block in view["blocks"]]
    assert kinds == ["section", "context", "input", "input", "input", "divider", "input", "input", "input"]
    story = view["blocks"][3]
    assert story["optional"] is True and story["hint"]["text"] == "Kort"
    assert story["element"]["multiline"] is True and story["element"]["placeholder"]["text"] == "Skriv här"
    subject = view["blocks"][4]["element"]
    assert [group["label"]["text"] for group in subject["option_groups"]] == ["Tjänster", "Avdelningar"]
    assert subject["initial_option"]["value"] == "department:b"
    assert view["blocks"][6]["element"]["type"] == "multi_static_select"
    anonymous = view["blocks"][7]["element"]
    assert anonymous["type"] == "checkboxes" and anonymous["options"][0]["value"] == "anonymous"
    assert anonymous["initial_options"] == anonymous["options"]
    assert {block["element"]["action_id"] for block in view["blocks"] if block["type"] == "input"} == {
        "name",
        "story",
        "subject",
        "many",
        "anonymous",
        "sensitive",
    }


def test_case_forms_keep_their_action_ids_and_follow_up_fields_are_named_by_field():
    report = modal(report_form([("s1", "Tjänst")], [("it", "IT")], [("arboga", "Arboga")]))
    assert {block["element"]["action_id"] for block in report["blocks"] if block["type"] == "input"} == {"value"}
    chooser = modal(chooser_form([]))
    assert chooser["blocks"][0]["block_id"] == "choice" and chooser["blocks"][0]["element"]["action_id"] == "choice"


def test_a_notice_only_says_something():
    view = modal(notice("Uppföljning", "Hämtar formuläret …"))
    assert set(view) == {"type", "title", "close", "blocks"}
    assert view["close"]["text"] == "Stäng" and view["blocks"][0]["text"]["text"] == "Hämtar formuläret …"


def test_errors_are_shown_under_their_fields():
    assert errors_response({"name": "Skriv ett namn."}) == {
        "response_action": "errors",
        "errors": {"name": "Skriv ett namn."},
    }


def paged_form(sections: int) -> Form:
    def section(n: int) -> tuple:
        return (
            Text(f"*Indikator {n}*"),
            ChoiceField(f"i{n}|status", "Status", (Option("met", "Uppfyllt"),)),
            TextField(f"i{n}|value", "Värde"),
            TextField(f"i{n}|comment", "Kommentar", multiline=True, optional=True),
            TextField(f"i{n}|actions", "Åtgärder", multiline=True, optional=True),
            Divider(),
        )

    return Form(
        title="Uppföljning",
        kind="followup_form",
        submit="Spara",
        parts=(Text("*Rubrik*"),),
        metadata={"round": "r"},
        paging=Paging(tuple(section(n) for n in range(sections)), next_submit="Spara och fortsätt"),
    )


def test_a_form_over_100_blocks_is_paged_in_whole_sections():
    form = paged_form(40)
    assert [len(page) for page in pages(form)] == [96, 96, 48]  # 16 sections of 6 blocks beside the header
    views = [modal(form, page) for page in range(3)]
    assert all(len(view["blocks"]) <= MODAL_BLOCK_LIMIT for view in views)
    assert [json.loads(view["private_metadata"]) for view in views] == [
        {"round": "r", "page": page, "pages": 3} for page in range(3)
    ]
    assert [view["submit"]["text"] for view in views] == ["Spara och fortsätt", "Spara och fortsätt", "Spara"]
    assert views[1]["blocks"][0]["text"]["text"] == "*Rubrik*\nSida 2 av 3."
    shown = [block["block_id"] for view in views for block in view["blocks"] if block["type"] == "input"]
    assert shown == [field.id for section in form.paging.sections for field in fields_of(section)]


def test_a_paged_form_without_a_text_gets_the_page_line_as_one():
    form = replace(paged_form(40), parts=())
    assert [len(page) for page in pages(form)] == [96, 96, 48]
    view = modal(form, 2)
    assert view["blocks"][0]["text"]["text"] == "Sida 3 av 3." and len(view["blocks"]) == 49


def test_a_paged_form_that_fits_is_one_page_without_a_page_line():
    view = modal(paged_form(3))
    assert json.loads(view["private_metadata"]) == {"round": "r", "page": 0, "pages": 1}
    assert view["blocks"][0]["text"]["text"] == "*Rubrik*" and view["submit"]["text"] == "Spara"
    assert len(modal(paged_form(0))["blocks"]) == 1


def test_long_titles_labels_and_option_texts_are_cut_at_slacks_limits():
    form = Form(
        title="En titel som är längre än tjugofyra tecken",
        kind="k",
        submit="En knapp med en alldeles för lång text",
        parts=(
            TextField("t", "L" * 2500, hint="H" * 2500),
            ChoiceField("c", "Val", (Option("v", "O" * 100),)),
        ),
    )
    view = modal(form)
    assert len(view["title"]["text"]) == 24 and view["title"]["text"].endswith("…")
    assert len(view["submit"]["text"]) == 24
    text_input, choice = view["blocks"]
    assert len(text_input["label"]["text"]) == 2000 and len(text_input["hint"]["text"]) == 2000
    assert choice["element"]["options"][0]["text"]["text"] == "O" * 74 + "…"


def test_a_select_lists_100_options_and_says_how_many_are_left_out():
    options = tuple(Option(str(n), f"Val {n}") for n in range(130))
    view = modal(Form(title="T", kind="k", parts=(ChoiceField("c", "Välj", options, overflow="Fråga oss."),)))
    select, note = view["blocks"]
    assert len(select["element"]["options"]) == 100
    assert note["text"]["text"] == "30 val till ryms inte i listan. Fråga oss."


def test_long_text_is_split_into_sections_of_3000_characters():
    view = modal(notice("T", "ord " * 2000))
    assert len(view["blocks"]) == 3 and all(len(block["text"]["text"]) <= 3000 for block in view["blocks"])
    [small_print] = modal(Form(title="T", parts=(Text("x" * 4000, subtle=True),)))["blocks"]
    assert len(small_print["elements"][0]["text"]) == 3000


def test_our_forms_have_no_comma_in_ids_or_choice_values(example_config):
    """A multiple Input.ChoiceSet returns its values comma-separated, so Teams could not tell them apart."""
    config = example_config
    report = report_form(
        [(s.id, s.name) for s in config.services],
        [(d.id, d.name) for d in config.departments],
        [(m.id, m.name) for m in config.members],
    )
    chooser = chooser_form(
        [(round_, department) for round_ in config.followup_rounds for department in config.departments]
    )
    for form in (report, chooser):
        for field in fields_of(form.parts):
            assert "," not in field.id
            assert not isinstance(field, ChoiceField) or all("," not in option.value for option in field.options)


def test_the_forms_are_read_back_where_their_values_are_built():
    report = FormValues({"category": "klagomal", "subject": "service:it-drift", "anonymous": True, "contact": ""})
    assert report_values(report) == ReportValues(
        category="klagomal",
        department_id=None,
        service_id="it-drift",
        member_id=None,
        description="",
        contact=None,
        anonymous=True,
        confidential=False,
    )
    assert report_values(FormValues({"subject": "department:it"})).department_id == "it"
    page = FormValues({field_id("nki", "value"): "65", field_id("nki", "comment"): None, "other": "x"})
    assert answers_from(page) == {"nki": {"value": "65", "comment": None}}
    assert chosen("t1-2027|it") == ("t1-2027", "it") and chosen("t1-2027") is None
