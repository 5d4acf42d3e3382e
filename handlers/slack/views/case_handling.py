"""The assign, answer and close forms of a case: submitted through the service, then the triage message
is refreshed and an answer goes out to the reporter at once."""

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.cases import service
from bot.cases.sending import send_case_messages
from bot.cases.triage import refresh_triage
from bot.runtime import Runtime
from handlers.slack.actions.case_steps import perform
from handlers.slack.payload import view_metadata
from handlers.slack.request_keys import request_key


def _case_id(body: dict) -> int:
    return view_metadata(body["view"], {"case_id": int})["case_id"]


def _value(body: dict, block_id: str) -> str:
    element = body["view"]["state"]["values"].get(block_id, {}).get("value", {})
    option = element.get("selected_option")
    return option["value"] if option else (element.get("value") or "")


def register(app: App, runtime: Runtime) -> None:
    def submit(ack: Ack, body: dict, client: WebClient, block_id: str, step) -> int | None:
        """The case id after a successful step (the form then closes); None after a refusal or a replay."""
        config = runtime.config
        case_id, value = _case_id(body), _value(body, block_id)
        key = request_key(body)
        case, refusal = perform(
            runtime,
            client,
            body["user"]["id"],
            lambda s, person, now: step(s, config, person, case_id, value, now, request_key=key),
        )
        if refusal:
            ack(response_action="errors", errors={block_id: refusal})
            return None
        ack()
        if case is None:  # processed before: the form closes, nothing is refreshed or sent again
            return None
        refresh_triage(runtime.engine, client, config, case.id)
        return case.id

    @app.view("case_assign")
    def assign(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "assignee", service.assign)

    @app.view("case_answer")
    def answer(ack: Ack, body: dict, client: WebClient) -> None:
        case_id = submit(ack, body, client, "answer", service.answer)
        if case_id is not None:
            send_case_messages(runtime.engine, runtime.sender_client, runtime.config, case_id, runtime.clock.now())

    @app.view("case_close")
    def close(ack: Ack, body: dict, client: WebClient) -> None:
        submit(ack, body, client, "resolution", service.close)
