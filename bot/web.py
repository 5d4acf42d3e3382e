"""Serving a WSGI app with waitress, in the foreground or in a thread (tests, demo, benchmarks)."""

import threading
from collections.abc import Callable

from waitress.server import BaseWSGIServer, create_server

# Above any request Slack sends: a modal's 100 inputs of 3,000 characters, with its blocks and percent-encoded
# (6 bytes for an å), stay under 4 MB. waitress refuses a larger body (413) from its Content-Length, before it
# buffers any of it, so nobody can make the server hold a gigabyte without a valid signature.
MAX_BODY_BYTES = 8 * 1024 * 1024


class BackgroundServer:
    """A waitress server on 127.0.0.1 and a free port, running in a daemon thread."""

    def __init__(self, wsgi_app: Callable, host: str = "127.0.0.1", port: int = 0, threads: int = 8):
        self._server = create_server(
            wsgi_app, host=host, port=port, threads=threads, max_request_body_size=MAX_BODY_BYTES
        )
        self.port = self._server.effective_port
        self.url = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True, name=f"waitress:{self.port}")

    def start(self) -> "BackgroundServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        """Let the requests in flight finish, then close the server from inside its own loop (which then ends
        at once); closing it from this thread would race the loop's select() and wait out its timeout."""
        self._server.task_dispatcher.shutdown(cancel_pending=False, timeout=5)
        try:
            self._server.trigger.pull_trigger(self._server.close)
        except OSError:  # the trigger's pipe is already closed: the loop has ended
            pass
        self._thread.join(timeout=5)


def listen(wsgi_app: Callable, port: int) -> BaseWSGIServer:
    """A server bound to 0.0.0.0:`port` (OSError when the port is taken); `.run()` serves until stopped."""
    return create_server(wsgi_app, host="0.0.0.0", port=port, threads=8, max_request_body_size=MAX_BODY_BYTES)
