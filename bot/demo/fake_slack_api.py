"""The Web API methods the fake Slack implements, each answering as Slack does (`api_<method>`, dots as `_`).

A method without an `api_` function here is answered `unknown_method`, so a call the fake does not model
fails loudly instead of passing as `{"ok": true}`.
"""

import itertools
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.demo.fake_slack_limits import maybe_json, refusal_of

IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8")  # PNG, JPEG, GIF: what an image block shows

if TYPE_CHECKING:
    from bot.demo.fake_slack import FakeWorkspace


class WebApiMethods:
    """Slack's Web API on the fake's state: messages per channel, views, users, channels and files."""

    workspace: "FakeWorkspace"
    port: int
    _next_ts: Callable[[], str]  # a message's ts, by the fake's clock (fake_slack_load.py)

    def _init_state(self) -> None:
        self.messages: dict[str, list[dict[str, Any]]] = defaultdict(list)
        self.uploads: dict[str, bytes] = {}
        self.shared_files: list[dict[str, Any]] = []
        self.private_files: dict[str, dict[str, Any]] = {}  # completed without a channel: only the bot sees them
        self.image_processing_refusals = 0  # how often an image block naming a new upload is refused at first
        self._processing: dict[str, int] = {}
        self._pending_files: dict[str, dict[str, Any]] = {}
        self._ts = itertools.count(1)

    def dm_channel(self, user_id: str) -> str:
        return "D" + user_id[1:]

    def api_auth_test(self, params: dict) -> dict:
        return {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "TFAKE", "team": "Fake"}

    def _image_refusal(self, params: dict) -> dict | None:
        """Slack's refusal of image blocks whose slack_file is not an image the bot uploaded and Slack has
        processed (a file is processed some time after its upload; `image_processing_refusals` models that)."""
        blocks = maybe_json(params.get("blocks"))
        problems = []
        for index, block in enumerate(blocks if isinstance(blocks, list) else []):
            if not isinstance(block, dict) or block.get("type") != "image" or "slack_file" not in block:
                continue
            file_id = str((block.get("slack_file") or {}).get("id", ""))
            file = self.private_files.get(file_id) or next((f for f in self.shared_files if f["id"] == file_id), None)
            waiting = self._processing.get(file_id, 0)
            if waiting:
                self._processing[file_id] = waiting - 1
            if file is None or waiting or not file["content"].startswith(IMAGE_MAGIC):
                problems.append(f"invalid slack file [json-pointer:/blocks/{index}/slack_file]")
        return refusal_of("invalid_blocks", problems) if problems else None

    def api_chat_postMessage(self, params: dict) -> dict:
        if refused := self._image_refusal(params):
            return refused
        channel = str(params.get("channel", ""))
        if channel in self.workspace.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        if channel in self.workspace.channels_without_bot:
            return {"ok": False, "error": "not_in_channel"}
        if channel.startswith(("U", "W")):
            if self.workspace.users and channel not in self.workspace.users:
                return {"ok": False, "error": "user_not_found"}
            channel = self.dm_channel(channel)
        message = {
            "ts": self._next_ts(),
            "channel": channel,
            "text": params.get("text", ""),
            "blocks": maybe_json(params.get("blocks")),
            "metadata": maybe_json(params.get("metadata")),
        }
        self.messages[channel].append(message)
        return {"ok": True, "channel": channel, "ts": message["ts"], "message": message}

    def api_chat_update(self, params: dict) -> dict:
        if refused := self._image_refusal(params):
            return refused
        channel, ts = str(params.get("channel")), str(params.get("ts"))
        for message in self.messages.get(channel, []):
            if message["ts"] == ts:
                message.update(text=params.get("text", ""), blocks=maybe_json(params.get("blocks")))
                return {"ok": True, "channel": channel, "ts": ts}
        return {"ok": False, "error": "message_not_found"}

    def api_chat_postEphemeral(self, params: dict) -> dict:
        return {"ok": True, "message_ts": self._next_ts()}

    def api_chat_getPermalink(self, params: dict) -> dict:
        channel, ts = str(params.get("channel")), str(params.get("message_ts"))
        return {
            "ok": True,
            "channel": channel,
            "permalink": f"https://fake.slack.com/archives/{channel}/p{ts.replace('.', '')}",
        }

    def api_conversations_open(self, params: dict) -> dict:
        user = str(params.get("users", "")).split(",")[0]
        return {"ok": True, "channel": {"id": self.dm_channel(user)}}

    def api_conversations_history(self, params: dict) -> dict:
        channel = str(params.get("channel"))
        oldest = float(params.get("oldest") or 0)
        found = [m for m in self.messages.get(channel, []) if float(m["ts"]) >= oldest]
        return {"ok": True, "messages": list(reversed(found)), "has_more": False}

    def api_conversations_info(self, params: dict) -> dict:
        channel = str(params.get("channel", ""))
        if channel in self.workspace.missing_channels:
            return {"ok": False, "error": "channel_not_found"}
        name = self.workspace.channels.get(channel, channel)
        is_member = channel not in self.workspace.channels_without_bot
        return {"ok": True, "channel": {"id": channel, "name": name, "is_member": is_member, "is_archived": False}}

    def api_users_lookupByEmail(self, params: dict) -> dict:
        email = str(params.get("email", "")).lower()
        for user_id, user in self.workspace.users.items():
            if user.get("email", "").lower() == email:
                return {"ok": True, "user": {"id": user_id, "name": user.get("name", "")}}
        return {"ok": False, "error": "users_not_found"}

    def api_users_info(self, params: dict) -> dict:
        user_id = str(params.get("user"))
        user = self.workspace.users.get(user_id)
        if user is None:
            return {"ok": False, "error": "user_not_found"}
        profile = {"email": user.get("email")}
        deleted = user.get("deleted") == "true"
        return {"ok": True, "user": {"id": user_id, "name": user.get("name"), "deleted": deleted, "profile": profile}}

    def api_views_open(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ts)}", **(maybe_json(params.get("view")) or {})}}

    api_views_push = api_views_open

    def api_views_update(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": params.get("view_id") or "V0", **(maybe_json(params.get("view")) or {})}}

    def api_views_publish(self, params: dict) -> dict:
        return {"ok": True, "view": {"id": f"V{next(self._ts)}"}}

    # file uploads (files.getUploadURLExternal, the upload URL, files.completeUploadExternal) -------
    def api_files_getUploadURLExternal(self, params: dict) -> dict:
        file_id = f"F{next(self._ts):08d}"
        self.uploads[file_id] = b""
        pending = {
            "filename": params.get("filename"),
            "length": int(params.get("length") or 0),
            "alt_txt": params.get("alt_txt"),
        }
        self._pending_files[file_id] = pending
        return {"ok": True, "file_id": file_id, "upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}"}

    def api_files_completeUploadExternal(self, params: dict) -> dict:
        """Completes each upload once: shared into `channel_id` (or `channels`), or, given neither, private."""
        files = maybe_json(params.get("files")) or []
        pending = self._pending_files
        if any(entry.get("id") not in pending for entry in files):
            return {"ok": False, "error": "file_not_found"}
        completed = []
        for entry in files:
            file_id = entry["id"]
            upload = pending.pop(file_id)
            completed.append(
                {
                    "id": file_id,
                    "title": entry.get("title"),
                    "name": upload["filename"],
                    "alt_txt": upload["alt_txt"],
                    "channel": params.get("channel_id"),
                    "thread_ts": params.get("thread_ts"),
                    "content": self.uploads.get(file_id, b""),
                }
            )
            self._processing[file_id] = self.image_processing_refusals
        if params.get("channel_id") or params.get("channels"):
            self.shared_files.extend(completed)
        else:
            self.private_files.update((file["id"], file) for file in completed)
        return {"ok": True, "files": [{"id": f["id"], "title": f["title"], "name": f["name"]} for f in completed]}
