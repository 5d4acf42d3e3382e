"""The one WSGI app of `samverkan serve`: the health check and each enabled platform's endpoint, on one host."""

import json
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http import HTTPStatus

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import select

from bot.runtime import Runtime
from bot.web import MAX_BODY_BYTES
from storage.engine import session_scope
from storage.platform import Platform
from storage.teams import installed_count

log = logging.getLogger(__name__)
SLACK_PATH = "/slack/events"
TEAMS_PATH = "/api/messages"
HEALTH_PATH = "/healthz"
TEXT = {"content-type": "text/plain;charset=utf-8"}
JSON = {"content-type": "application/json"}


@dataclass(frozen=True)
class Response:
    """What an endpoint answers, and what to call once the answer is written (`written`)."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=lambda: dict(TEXT))
    written: Callable[[], None] | None = None

    @classmethod
    def json(cls, status: int, value: object) -> "Response":
        return cls(status, json.dumps(value, ensure_ascii=False).encode(), dict(JSON))


Endpoint = Callable[[dict], Response]  # a WSGI environ in, the answer out


def read_request_body(environ: dict) -> tuple[bytes | None, str | None]:
    """The raw body, or None and why it is refused unread (larger than MAX_BODY_BYTES, or no length)."""
    length = environ.get("CONTENT_LENGTH") or "0"
    if not length.isdigit():
        return None, "Content-Length is not a number"
    if int(length) > MAX_BODY_BYTES:
        return None, f"body larger than {MAX_BODY_BYTES} bytes"
    return environ["wsgi.input"].read(int(length)), None


def build_wsgi_app(runtime: Runtime, slack: Endpoint | None = None, teams: Endpoint | None = None) -> Callable:
    """GET /healthz; POST /slack/events when `slack` is given; POST /api/messages when `teams` is; else 404."""
    routes = {path: endpoint for path, endpoint in ((SLACK_PATH, slack), (TEAMS_PATH, teams)) if endpoint}
    served = {Platform.SLACK: slack is not None, Platform.TEAMS: teams is not None}

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path == HEALTH_PATH and method == "GET":
            response = health(runtime, served)
        elif path in routes and method == "POST":
            response = routes[path](environ)
        else:
            response = Response(HTTPStatus.NOT_FOUND, b"Not Found")
        status = HTTPStatus(response.status)
        headers = [(name, value) for name, value in response.headers.items() if name.lower() != "content-length"]
        start_response(f"{status.value} {status.phrase}", [*headers, ("content-length", str(len(response.body)))])
        return _Body(response)

    return application


class _Body:
    """The answer's body as the WSGI server iterates it; it calls close() when done, the body written."""

    def __init__(self, response: Response) -> None:
        self._response = response

    def __iter__(self) -> Iterator[bytes]:
        yield self._response.body

    def close(self) -> None:
        if self._response.written is not None:
            self._response.written()


def health(runtime: Runtime, served: dict[Platform, bool]) -> Response:
    """200 when the database answers, 503 when it does not; with each enabled platform and whether it is served,
    and for Teams how many conversations the app is installed in (none: nothing can be sent there yet)."""
    enabled = runtime.config.platforms
    report: dict[str, object] = {
        "platforms": {platform.value: "served" if served.get(platform) else "not served" for platform in enabled}
    }
    try:
        with session_scope(runtime.engine) as session:
            session.exec(select(1)).one()
            if Platform.TEAMS in enabled:
                report["teams_installations"] = installed_count(session)
    except SQLAlchemyError as error:
        log.warning("health check: the database does not answer (%s)", type(error).__name__)
        return Response.json(HTTPStatus.SERVICE_UNAVAILABLE, {"status": "unavailable", "database": "unreachable",
                                                              **report})  # fmt: skip
    return Response.json(HTTPStatus.OK, {"status": "ok", "database": "ok", **report})
