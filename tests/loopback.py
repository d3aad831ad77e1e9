"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned or computed response."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers are sent
    content_type: str = "text/html; charset=utf-8"

    def encoded(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[BaseHTTPRequestHandler], "Response | None"]


class LoopbackServer:
    """Serves `routes` on a free port; records every request (method, path, headers)."""

    def __init__(self) -> None:
        self.routes: dict[str, Response | Handler] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                server.requests.append(("GET", self.path, dict(self.headers)))
                route = server.routes.get(self.path) or server.routes.get(self.path.split("?")[0])
                if route is None:
                    reply = Response(404, "<html><body>not found</body></html>")
                elif callable(route):
                    reply = route(self)
                    if reply is None:  # the handler wrote the response itself
                        return
                else:
                    reply = route
                if reply.delay:
                    time.sleep(reply.delay)
                body = reply.encoded()
                try:
                    self.send_response(reply.status)
                    headers = {"Content-Type": reply.content_type, **reply.headers}
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if "Content-Length" not in headers:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if body and reply.status not in (204, 304):
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()
