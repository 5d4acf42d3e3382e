"""Serving the Slack app over Socket Mode (SLACK_APP_TOKEN): Slack opens the connection, no port is needed."""

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def serve_socket_mode(bolt_app: App, app_token: str) -> None:
    """Connect to Slack and answer its requests until the process is stopped (blocks)."""
    SocketModeHandler(bolt_app, app_token).start()
