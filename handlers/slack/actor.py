"""One actor resolution per request: the configured person behind the Slack user, in Bolt's context.

The middleware puts an `Actor` into `context["actor"]` for every request that carries a user (a command, an
interaction, an event with a user); url_verification, ssl_check and events without a user get none. The look-up
itself runs once, when a listener first asks, because:
- a listener that opens a form must call views.open first (a trigger_id lives 3 s) and may look the user up after;
- reporting feedback needs no configured person (anyone in the workspace may report), and an anonymous report must
  leave no trace of its reporter: asking Slack for the reporter's e-mail would cache their user id.
Listeners read `actor_of(context)`; `known()` refuses an unknown user once, here at the edge (UnknownPerson).
"""

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.asker import Asker
from bot.config.model import Person
from bot.runtime import Runtime
from bot.slack.directory import identify
from storage.engine import session_scope

USER_KINDS = ("block_actions", "view_submission", "view_closed", "shortcut", "message_action")


class Actor(Asker):
    """The request's Slack user and, looked up once on first use, the configured person behind it."""

    def __init__(self, runtime: Runtime, client: WebClient, user_id: str):
        self.user_id = user_id
        self._runtime, self._client = runtime, client
        self._person: Person | None = None
        self._resolved = False

    def person(self) -> Person | None:
        """The configured person, or None for a workspace user the configuration does not know."""
        if not self._resolved:
            runtime = self._runtime
            with session_scope(runtime.engine) as session:
                now = runtime.clock.now()
                self._person = identify(session, self._client, runtime.config, self.user_id, now)
            self._resolved = True
        return self._person


def actor_of(context: BoltContext) -> Actor:
    """The request's actor (every listener that asks for one is for a request that carries a user)."""
    return context["actor"]


def user_of(body: dict) -> str | None:
    """The Slack user a request comes from; None for requests without one."""
    if "command" in body:
        user_id = body.get("user_id")
    elif body.get("type") in USER_KINDS:
        user_id = (body.get("user") or {}).get("id")
    elif body.get("type") == "event_callback":
        user_id = (body.get("event") or {}).get("user")
    else:
        user_id = None
    return user_id if isinstance(user_id, str) and user_id else None


def register(app: App, runtime: Runtime) -> None:
    @app.middleware
    def resolve_actor(req: BoltRequest, resp: BoltResponse, next):  # noqa: A002 (Bolt's name)
        user_id = user_of(req.body)
        if user_id is not None:
            req.context["actor"] = Actor(runtime, req.context.client, user_id)
        return next()
