"""A slash command's answer, whether it came with the ack or afterwards through the response_url."""

from bot.demo.fake_slack import FakeSlack
from bot.demo.slack_requests import SlackRequester


def command_answer(
    slack: SlackRequester, fake_slack: FakeSlack, command: str, text: str = "", user_id: str = "U0VMKF0001"
) -> dict:
    """Send a signed command; its ack's body, or else the next reply posted to the response_url."""
    before = len(fake_slack.responses)
    answer = slack.command(command, text=text, user_id=user_id)
    assert answer.status == 200
    body = answer.json()
    if body:
        return body
    return later_reply(slack, fake_slack, before)


def later_reply(slack: SlackRequester, fake_slack: FakeSlack, index: int) -> dict:
    """The `index`th post to the response_url, which the app makes after its ack, once the app is idle."""
    slack.idle()
    return fake_slack.responses[index]
