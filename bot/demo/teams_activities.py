"""Bot Framework activities as Teams sends them to /api/messages, for the tests, the demo and the benchmarks.

Each builder returns the activity's JSON. Replies to a message come back in the HTTP response when it asks for
them (`deliveryMode: expectReplies`, the default here); invokes (card actions, dialogs, message extensions, file
consent) are answered in the response by nature. Other activities are answered through the Bot Connector at serviceUrl.
"""

import itertools
from dataclasses import dataclass

TENANT = "72f988bf-0000-4000-8000-00000000c0de"
BOT_APP_ID = "00000000-0000-4000-8000-0000000b0700"
BOT = {"id": f"28:{BOT_APP_ID}", "name": "Samverkan"}
SERVICE_URL = "http://127.0.0.1:9/teams/"  # nothing listens there: point it at a fake Bot Connector to see sends
_ids = itertools.count(1)


def user(object_id: str, name: str = "Test Testsson") -> dict:
    """A Teams user as an activity's `from`: the Bot Connector's user id and the Entra object id."""
    return {"id": f"29:{object_id}", "aadObjectId": object_id, "name": name}


@dataclass(frozen=True)
class Chat:
    """Where an activity happens: its conversation and the channelData Teams sends with it."""

    conversation: dict
    channel_data: dict


def personal_chat(person: dict, tenant: str = TENANT, conversation_id: str | None = None) -> Chat:
    """The one-to-one chat of `person` with the bot (by default 'a:1<object id>'; a Bot Connector names its own)."""
    conversation_id = conversation_id or f"a:1{person['aadObjectId']}"
    conversation = {"id": conversation_id, "conversationType": "personal", "tenantId": tenant}
    return Chat(conversation, {"tenant": {"id": tenant}})


def team_channel(team_id: str, channel_id: str | None = None, tenant: str = TENANT) -> Chat:
    """A channel of a team (its General channel, whose id is the team's, unless `channel_id` is given)."""
    channel = channel_id or team_id
    conversation = {"id": channel, "conversationType": "channel", "isGroup": True, "tenantId": tenant}
    return Chat(conversation, {"team": {"id": team_id, "name": "Förbundet"}, "channel": {"id": channel},
                               "tenant": {"id": tenant}})  # fmt: skip


def activity(kind: str, sender: dict, chat: Chat, service_url: str = SERVICE_URL, **fields: object) -> dict:
    """An activity of type `kind` from `sender` in `chat`, to the bot."""
    number = next(_ids)
    return {
        "type": kind,
        "id": f"activity-{number}",
        "timestamp": "2027-02-01T07:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": sender,
        "recipient": BOT,
        "conversation": chat.conversation,
        "channelData": chat.channel_data,
        "locale": "sv-SE",
        **fields,
    }


def message(
    text: str, sender: dict, chat: Chat, *, expect_replies: bool = True, mention: bool = False, **fields: object
) -> dict:
    """A message typed to the bot; `mention` writes '<at>Samverkan</at>' first, as a message in a channel has."""
    if mention:
        text = f"<at>{BOT['name']}</at> {text}"
        fields["entities"] = [{"type": "mention", "text": f"<at>{BOT['name']}</at>", "mentioned": BOT}]
    if expect_replies:
        fields["deliveryMode"] = "expectReplies"
    return activity("message", sender, chat, text=text, textFormat="plain", **fields)


def submit(value: dict, sender: dict, chat: Chat, *, expect_replies: bool = True, reply_to: str = "card-1") -> dict:
    """An Action.Submit of a card: a message without text whose `value` is the card's data and inputs."""
    fields: dict[str, object] = {"deliveryMode": "expectReplies"} if expect_replies else {}
    return activity("message", sender, chat, value=value, replyToId=reply_to, **fields)


def invoke(name: str, value: dict, sender: dict, chat: Chat, **fields: object) -> dict:
    """An invoke activity (answered in the HTTP response)."""
    return activity("invoke", sender, chat, name=name, value=value, **fields)


def invoke_action(verb: str, data: dict, sender: dict, chat: Chat, *, reply_to: str = "card-1") -> dict:
    """A card's Action.Execute: adaptiveCard/action with the action's verb and data (inputs merged in)."""
    value = {"action": {"type": "Action.Execute", "id": verb, "verb": verb, "data": data}, "trigger": "manual"}
    return invoke("adaptiveCard/action", value, sender, chat, replyToId=reply_to)


def task_fetch(data: dict, sender: dict, chat: Chat, *, reply_to: str = "card-1") -> dict:
    """A card's dialog button clicked (an Action.Submit whose data asks for a dialog): task/fetch with its data."""
    value = {"type": "task/fetch", "data": data, "context": {"theme": "default"}}
    return invoke("task/fetch", value, sender, chat, replyToId=reply_to)


def task_submit(data: dict, sender: dict, chat: Chat) -> dict:
    """A dialog's card submitted (its Action.Submit): task/submit with the action's data and the inputs merged in."""
    value = {"type": "task/submit", "data": data, "context": {"theme": "default"}}
    return invoke("task/submit", value, sender, chat)


def _message_payload(text: str, author: dict) -> dict:
    return {"id": "1700000000000", "messageType": "message", "createdDateTime": "2027-02-01T06:59:00.000Z",
            "from": {"user": {"id": author["aadObjectId"], "displayName": author.get("name"),
                              "userIdentityType": "aadUser"}},
            "body": {"contentType": "html", "content": f"<p>{text}</p>"},
            "linkToMessage": "https://teams.microsoft.com/l/message/19:c/1700000000000"}  # fmt: skip


def compose_extension_fetch(command_id: str, text: str, author: dict, sender: dict, chat: Chat) -> dict:
    """A message action chosen on a message (composeExtension/fetchTask) with the message in messagePayload."""
    value = {"commandId": command_id, "commandContext": "message", "context": {"theme": "default"},
             "messagePayload": _message_payload(text, author)}  # fmt: skip
    return invoke("composeExtension/fetchTask", value, sender, chat)


def compose_extension_submit(command_id: str, data: dict, text: str, author: dict, sender: dict, chat: Chat) -> dict:
    """The dialog of a message action submitted (composeExtension/submitAction) with its data."""
    value = {"commandId": command_id, "commandContext": "message", "data": data,
             "messagePayload": _message_payload(text, author)}  # fmt: skip
    return invoke("composeExtension/submitAction", value, sender, chat)


def file_consent(action: str, context: dict, sender: dict, chat: Chat, upload_info: dict | None = None) -> dict:
    """The user's answer on a file consent card (fileConsent/invoke): 'accept' (with uploadInfo) or 'decline'."""
    value: dict[str, object] = {"type": "fileUpload", "action": action, "context": context}
    if action == "accept":
        value["uploadInfo"] = upload_info or {
            "name": "fil.csv", "uploadUrl": "http://127.0.0.1:9/upload", "contentUrl": "http://127.0.0.1:9/fil.csv",
            "uniqueId": "unique-1", "fileType": "csv"}  # fmt: skip
    return invoke("fileConsent/invoke", value, sender, chat)


def installation_update(action: str, sender: dict, chat: Chat, *, expect_replies: bool = False) -> dict:
    """The app installed ('add') in or removed ('remove') from `chat` by `sender`."""
    fields: dict[str, object] = {"deliveryMode": "expectReplies"} if expect_replies else {}
    return activity("installationUpdate", sender, chat, action=action, **fields)


def conversation_update(
    sender: dict,
    chat: Chat,
    *,
    added: list[dict] | None = None,
    removed: list[dict] | None = None,
    expect_replies: bool = False,
) -> dict:
    """Members (BOT for the bot itself) added to or removed from `chat`."""
    fields: dict[str, object] = {"deliveryMode": "expectReplies"} if expect_replies else {}
    if added:
        fields["membersAdded"] = added
    if removed:
        fields["membersRemoved"] = removed
    return activity("conversationUpdate", sender, chat, **fields)
