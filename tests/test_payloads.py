"""The payload builders fill in a view as Slack reports a filled-in view: by block id, pre-filled values kept,
a chosen option as the option the view offered; a click carries where its button sits."""

from bot.demo.payloads import button_click, form_view, state_values, view_submission

VIEW = {
    "type": "modal",
    "callback_id": "example",
    "blocks": [
        {"type": "section", "text": {"type": "mrkdwn", "text": "Fyll i"}},
        {
            "type": "input",
            "block_id": "category",
            "element": {
                "type": "static_select",
                "action_id": "value",
                "options": [{"text": {"type": "plain_text", "text": "Klagomål"}, "value": "klagomal"}],
            },
        },
        {
            "type": "input",
            "block_id": "description",
            "element": {"type": "plain_text_input", "action_id": "value", "initial_value": "Förifyllt"},
        },
        {"type": "input", "block_id": "anonymous", "element": {"type": "checkboxes", "action_id": "value"}},
    ],
}


def test_answers_by_block_id_and_the_rest_as_pre_filled():
    values = state_values(VIEW, {"category": "klagomal", "anonymous": ["anonymous"]})
    assert values["category"]["value"]["selected_option"] == {
        "text": {"type": "plain_text", "text": "Klagomål"},
        "value": "klagomal",
    }
    assert values["description"]["value"] == {"type": "plain_text_input", "value": "Förifyllt"}
    assert [o["value"] for o in values["anonymous"]["value"]["selected_options"]] == ["anonymous"]
    assert list(values) == ["category", "description", "anonymous"]  # only inputs, in the view's order


def test_an_answer_of_none_empties_the_input():
    values = state_values(VIEW, {"category": None, "description": None})
    assert values["category"]["value"]["selected_option"] is None
    assert values["description"]["value"]["value"] is None


def test_a_submission_sends_the_view_back_with_its_state():
    payload = view_submission("U1", VIEW, {"description": "Nytt"}, view_id="V9")
    assert payload["type"] == "view_submission" and payload["user"]["id"] == "U1"
    assert (payload["view"]["id"], payload["view"]["callback_id"]) == ("V9", "example")
    assert payload["view"]["state"]["values"]["description"]["value"]["value"] == "Nytt"


def test_a_form_view_stands_for_a_form_not_opened():
    view = form_view("case_answer", '{"case_id": 1}', {"answer": "plain_text_input"})
    payload = view_submission("U1", view, {"answer": "Svar"})
    assert payload["view"]["private_metadata"] == '{"case_id": 1}'
    assert payload["view"]["state"]["values"] == {"answer": {"value": {"type": "plain_text_input", "value": "Svar"}}}


def test_a_click_on_a_posted_message_carries_its_button_and_where_it_sits():
    message = {
        "channel": "C1",
        "ts": "1800000001.000100",
        "text": "Ärende",
        "blocks": [
            {
                "type": "actions",
                "block_id": "case:7",
                "elements": [{"type": "button", "action_id": "case_take", "value": "7"}],
            }
        ],
    }
    payload = button_click("U1", message, "case_take", "http://127.0.0.1:9/response")
    assert payload["container"] == {"type": "message", "channel_id": "C1", "message_ts": "1800000001.000100"}
    assert payload["actions"] == [
        {"type": "button", "action_id": "case_take", "block_id": "case:7", "value": "7", "action_ts": "1"}
    ]
