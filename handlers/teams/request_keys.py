"""The one key a Teams request is known by, so that a redelivery of it has one effect (as for Slack requests).

Teams gives every activity an id; a message or an invoke delivered again carries the same one. The key is the
conversation and that id (an id is unique within its conversation); an activity without an id (Teams always sends
one) is known by its whole JSON. Only a SHA-256 digest of this is stored (storage/requests.py).
"""

import hashlib
import json

from microsoft_agents.activity import Activity


def request_key(activity: Activity) -> str:
    """The digest that identifies this activity; equal for a redelivered one."""
    conversation = activity.conversation.id if activity.conversation else None
    if activity.id:
        material = "teams:" + json.dumps([conversation, activity.id])
    else:
        material = "teams-other:" + activity.model_dump_json(by_alias=True, exclude_none=True)
    return hashlib.sha256(material.encode()).hexdigest()
