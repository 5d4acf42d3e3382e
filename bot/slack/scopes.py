"""The one table of the Slack Web API methods the code calls and the bot scopes each needs.

`samverkan doctor` checks the token's granted scopes against it, the fake Slack refuses a method whose scope
is not granted, and a test keeps manifest.yml's scopes equal to what this table needs.
"""

# Each method needs every scope listed: the bot uses it with public and private channels and with DMs.
WEB_API_SCOPES: dict[str, tuple[str, ...]] = {
    "auth.test": (),
    "chat.postMessage": ("chat:write",),
    "chat.update": ("chat:write",),
    "chat.getPermalink": (),
    "conversations.open": ("im:write",),
    "conversations.history": ("channels:history", "groups:history", "im:history"),
    "conversations.info": ("channels:read", "groups:read"),
    "users.info": ("users:read", "users:read.email"),  # the profile's e-mail matches people configured by e-mail
    "users.lookupByEmail": ("users:read.email",),
    "views.open": (),
    "views.update": (),
    "views.publish": (),
    "files.getUploadURLExternal": ("files:write",),
    "files.completeUploadExternal": ("files:write",),
}

# Scopes that no Web API call needs but a feature of the app does.
FEATURE_SCOPES: dict[str, str] = {"commands": "the slash commands and the message shortcut"}


def needed_scopes() -> frozenset[str]:
    """Every bot scope the app needs."""
    return frozenset(scope for scopes in WEB_API_SCOPES.values() for scope in scopes) | frozenset(FEATURE_SCOPES)


def what_needs(scope: str) -> list[str]:
    """The methods (or the feature) that need `scope`, for telling the operator why it matters."""
    return [method for method, scopes in WEB_API_SCOPES.items() if scope in scopes] or (
        [FEATURE_SCOPES[scope]] if scope in FEATURE_SCOPES else []
    )
