"""The assign, answer and close forms of a case: submitted through the service, then the triage message
is refreshed and an answer goes out to the reporter at once."""

import json

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.cases import service
from bot.cases.triage import refresh_triage
from bot.delivery.sender import Sender
from bot.runtime import Runtime
from handlers.slack.actions.case_steps import perform


def _case_id(body: dict) -> int:
    return int(json.loads(body["view"]["private_metadata"])["case_id"])


def _value(body: dict, block_id: str) -> str:
    element = body["view"]["state"]["values"].get(block_id, {}).get("value", {})
    option = element.get("selected_option")
    return option["value"] if option else (element.get("value") or "")


def register(app: App, runtime: Runtime) -> None:
    def submit(ack: Ack, body: dict, client: WebClient, block_id: str, step) -> bool:
        config = runtime.config
        case_id, value = _case_id(body), _value(body, block_id)
        case, refusal = perform(
            runtime, client, body["user"]["id"], lambda s, person, now: step(s, config, person, case_id, value, now)
        )
        if refusal:
            ack(response_action="errors", errors={block_id: refusal})
            return False
        ack()
        refresh_triage(runtime.engine, client, config, case.id)
        return True

    @app.view("case_assign")
    def assign(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "assignee", service.assign)

    @app.view("case_answer")
    def answer(ack: Ack, body: dict, client: WebClient) -> None:
        if submit(ack, body, client, "answer", service.answer):
            Sender(runtime.engine, runtime.sender_client, runtime.config).send_due(runtime.clock.now())

    @app.view("case_close")
    def close(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "resolution", service.close)
