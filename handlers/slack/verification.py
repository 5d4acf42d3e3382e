"""Slack's request signature (v0 HMAC-SHA256 over `v0:{timestamp}:{raw body}`), checked against an injected clock.

This is the app's only signature check: the WSGI layer runs it on the raw bytes before anything reads the body,
and Bolt's own check is switched off (see bot/slack/app.py).
"""

import hashlib
import hmac
import re
from collections.abc import Mapping
from datetime import datetime

MAX_SKEW_SECONDS = 5 * 60
VERSION = "v0"
TIMESTAMP = re.compile(r"[0-9]{1,12}")
SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


def signature_problem(headers: Mapping[str, str], body: bytes, secret: str, now: datetime) -> str | None:
    """Why this request is not Slack's (a short reason for the log, never the body), or None when it is.

    `headers` are the request's headers with lower-case names."""
    timestamp = headers.get("x-slack-request-timestamp")
    signature = headers.get("x-slack-signature")
    if not timestamp:
        return "no timestamp"
    if not TIMESTAMP.fullmatch(timestamp):
        return "timestamp is not a number"
    if abs(now.timestamp() - int(timestamp)) > MAX_SKEW_SECONDS:
        return "timestamp more than 5 minutes off"
    if not signature:
        return "no signature"
    if not SIGNATURE.fullmatch(signature):
        return "signature is not a v0 signature"
    base = f"{VERSION}:{timestamp}:".encode() + body
    expected = f"{VERSION}=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, signature):
        return "signature does not match"
    return None
