"""The Bot Connector REST v3 operations the fake implements, each refusing what the real service refuses.

Teams answers an error with a JSON body `{"error": {"code": ..., "message": ...}}`: ConversationNotFound (404)
for a conversation it does not know, BotNotInConversationRoster (403) once the app was removed from it (or
another 403 of REFUSALS: the user blocked the bot, the thread is closed for writes, an admin disabled the app),
MessageSizeTooBig (413) for an activity over about 28 KB, BadArgument (400) for an empty message or an
Adaptive Card without `type` and `version`, and ActivityNotFound (404) for an update of an unknown activity.
"""

import itertools
from dataclasses import dataclass, field

from bot.demo.fake_teams_http import Answer, Request

MAX_ACTIVITY_BYTES = 28 * 1024
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"
FILE_CONSENT_CARD = "application/vnd.microsoft.teams.card.file.consent"


REFUSALS = {  # Teams' 403 codes for a conversation the bot may no longer write in, with Teams' messages
    "BotNotInConversationRoster": "The bot is not part of the conversation roster.",
    "ConversationBlockedByUser": "User blocked the conversation with the bot.",
    "MessageWritesBlocked": "Thread is blocked for writes.",
    "BotDisabledByAdmin": "The bot is disabled by admin.",
}


def personal_conversation_id(object_id: str) -> str:
    """The id of a user's 1:1 chat with the bot in the fake (Teams' own are opaque 'a:1...' strings)."""
    return f"a:personal-{object_id}"


def user_id(object_id: str) -> str:
    """The Bot Connector's id of a user (as bot/demo/teams_activities.py has it)."""
    return f"29:{object_id}"


@dataclass
class FakeMember:
    """A Teams user as the roster calls return them."""

    id: str  # 29:..., the Bot Connector's id of the user
    object_id: str  # the Entra object id
    email: str
    name: str
    tenant_id: str

    def account(self) -> dict[str, str]:
        return {
            "id": self.id,
            "name": self.name,
            "aadObjectId": self.object_id,
            "objectId": self.object_id,
            "email": self.email,
            "userPrincipalName": self.email,
            "tenantId": self.tenant_id,
        }


@dataclass
class FakeConversation:
    """A conversation the bot was installed in: a personal chat or a team's channel."""

    id: str
    kind: str  # personal, channel
    tenant_id: str
    members: list[FakeMember] = field(default_factory=list)
    team_id: str | None = None
    refusal: str | None = None  # the 403 code of REFUSALS every call about it gets, once the bot may not post
    activities: list[dict] = field(default_factory=list)  # as they stand, after updates


def error(status: int, code: str, message: str) -> Answer:
    """Teams' error answer: `{"error": {"code": ..., "message": ...}}`."""
    return Answer(status, {"error": {"code": code, "message": message}})


def activity_refusal(request: Request) -> Answer | None:
    """The service's refusal of an activity it will not post or put in place of another, or None."""
    if len(request.raw) > MAX_ACTIVITY_BYTES:
        return error(413, "MessageSizeTooBig", "Message size too big")
    activity = request.body
    if activity.get("type") == "message" and not activity.get("text") and not activity.get("attachments"):
        return error(400, "BadArgument", "Activity must have text or attachments")
    for attachment in activity.get("attachments") or []:
        content = attachment.get("content") if isinstance(attachment, dict) else None
        if attachment.get("contentType") == ADAPTIVE_CARD and (
            not isinstance(content, dict) or content.get("type") != "AdaptiveCard" or not content.get("version")
        ):
            return error(400, "BadArgument", "Adaptive card content must have type AdaptiveCard and a version")
    return None


class ConnectorOperations:
    """The operations on the fake's conversations, members, activities and uploads (called under its lock)."""

    tenant_id: str
    url: str

    def _init_state(self) -> None:
        self.conversations: dict[str, FakeConversation] = {}
        self.members: dict[str, FakeMember] = {}  # by Bot Connector user id (29:...)
        self.uploads: dict[str, bytes] = {}
        self._ids = itertools.count(1)

    def _next(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids)}"

    def _conversation(self, request: Request) -> FakeConversation | Answer:
        conversation = self.conversations.get(request.conversation_id or "")
        if conversation is None:
            return error(404, "ConversationNotFound", "Conversation not found.")
        if conversation.refusal:
            return error(403, conversation.refusal, REFUSALS[conversation.refusal])
        return conversation

    def op_create(self, request: Request) -> Answer:
        """A 1:1 conversation with one member the bot may reach (the same conversation each time)."""
        body = request.body
        members = body.get("members") or []
        if body.get("isGroup") or len(members) != 1 or not isinstance(members[0], dict):
            return error(400, "BadArgument", "A personal conversation takes exactly one member")
        member = self.members.get(str(members[0].get("id")))
        if member is None:
            return error(404, "MemberNotFound", "The user is not known in this tenant")
        tenant = body.get("tenantId") or (body.get("channelData") or {}).get("tenant", {}).get("id")
        if tenant != member.tenant_id:
            return error(400, "BadArgument", "tenantId is required and must be the user's tenant")
        existing = next(
            (c for c in self.conversations.values() if c.kind == "personal" and c.members == [member]), None
        )
        if existing is None:
            existing = FakeConversation(
                personal_conversation_id(member.object_id), "personal", member.tenant_id, [member]
            )
            self.conversations[existing.id] = existing
        if existing.refusal:
            return error(403, existing.refusal, REFUSALS[existing.refusal])
        return Answer(201, {"id": existing.id})

    def op_send(self, request: Request) -> Answer:
        """A new activity in the conversation (a reply when the path names the activity it answers)."""
        conversation = self._conversation(request)
        if isinstance(conversation, Answer):
            return conversation
        refusal = activity_refusal(request)
        if refusal:
            return refusal
        activity = {**request.body, "id": self._next("activity-")}
        if request.item_id:
            activity["replyToId"] = request.item_id
        conversation.activities.append(activity)
        return Answer(201, {"id": activity["id"]})

    op_reply = op_send

    def op_update(self, request: Request) -> Answer:
        conversation = self._conversation(request)
        if isinstance(conversation, Answer):
            return conversation
        refusal = activity_refusal(request)
        if refusal:
            return refusal
        for index, activity in enumerate(conversation.activities):
            if activity["id"] == request.item_id:
                conversation.activities[index] = {**activity, **request.body, "id": activity["id"]}
                return Answer(200, {"id": activity["id"]})
        return error(404, "ActivityNotFound", "Activity not found in the conversation.")

    def op_members(self, request: Request) -> Answer:
        """The conversation's members (a channel's: its team's)."""
        conversation = self._conversation(request)
        if isinstance(conversation, Answer):
            return conversation
        return Answer(200, [member.account() for member in conversation.members])

    def op_member(self, request: Request) -> Answer:
        """One member by Bot Connector id or Entra object id, as Teams accepts either."""
        conversation = self._conversation(request)
        if isinstance(conversation, Answer):
            return conversation
        for member in conversation.members:
            if request.item_id in (member.id, member.object_id):
                return Answer(200, member.account())
        return error(404, "MemberNotFound", "The member is not in the conversation.")

    def op_channels(self, request: Request) -> Answer:
        """The channels of a team the bot is in (GET v3/teams/{team id}/conversations)."""
        channels = [c for c in self.conversations.values() if c.team_id == request.item_id and not c.refusal]
        if not channels:
            return error(404, "NotFound", "The bot is not in the team.")
        return Answer(200, {"conversations": [{"id": c.id, "name": c.id.split("@")[0]} for c in channels]})

    def op_upload(self, request: Request) -> Answer:
        """A OneDrive upload session's PUT: the whole file at once, with its Content-Range."""
        if request.item_id not in self.uploads:
            return error(404, "itemNotFound", "The upload session does not exist or has expired.")
        size = len(request.raw)
        if request.headers.get("content-range") != f"bytes 0-{size - 1}/{size}" or size == 0:
            return error(400, "invalidRange", "Content-Range must cover the whole file: bytes 0-<n-1>/<n>")
        if self.uploads[request.item_id]:
            return error(409, "nameAlreadyExists", "The upload session was already completed.")
        self.uploads[request.item_id] = request.raw
        return Answer(201, {"id": request.item_id, "name": request.item_id, "size": size})
