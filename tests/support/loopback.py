"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned or computed response."""

from __future__ import annotations

import sys
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterable


@dataclass
class Response:
    status: int = 200
    body: bytes | str = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before the headers are sent
    content_type: str = "text/html; charset=utf-8"
    chunks: Iterable[bytes] | None = None  # sent with Transfer-Encoding: chunked instead of `body`
    chunk_delay: float = 0.0  # seconds before each chunk

    def encoded(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


Handler = Callable[[BaseHTTPRequestHandler], "Response | None"]


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client hanging up mid-body (a capped download, a timeout) is what tests provoke."""
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


class LoopbackServer:
    """Serves `routes` on a free port of `host` (any 127.x.y.z address is this machine); records
    every request (method, path, headers), when it started, and how many ran at once."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.routes: dict[str, Response | Handler] = {}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.started: list[tuple[float, str]] = []  # (time.monotonic(), path) per request
        self.active = 0
        self.most_active = 0  # the most requests in progress at one time
        self._count_lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                with server._count_lock:
                    server.requests.append(("GET", self.path, dict(self.headers)))
                    server.started.append((time.monotonic(), self.path))
                    server.active += 1
                    server.most_active = max(server.most_active, server.active)
                try:
                    self._answer()
                finally:
                    with server._count_lock:
                        server.active -= 1

            def _answer(self) -> None:
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
                    if reply.chunks is not None:
                        headers["Transfer-Encoding"] = "chunked"
                    for key, value in headers.items():
                        self.send_header(key, value)
                    if "Content-Length" not in headers and reply.chunks is None:
                        self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    if reply.chunks is not None:
                        self._write_chunks(reply)
                    elif body and reply.status not in (204, 304):
                        self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    self.close_connection = True

            def _write_chunks(self, reply: Response) -> None:
                for chunk in reply.chunks or ():
                    if reply.chunk_delay:
                        time.sleep(reply.chunk_delay)
                    if chunk:
                        self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                        self.wfile.flush()
                self.wfile.write(b"0\r\n\r\n")

        self._httpd = _QuietServer((host, 0), _Handler)
        self._httpd.daemon_threads = True
        # a short poll interval keeps shutdown (once per test) from costing half a second
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def port(self) -> int:
        return self._httpd.server_address[1]

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def start(self) -> "LoopbackServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def trickled_headers(every: float, lines: int = 1000) -> Handler:
    """A route whose answer never gets past its headers: one header line every `every` seconds,
    each well within any read timeout (a hostile or broken server holding a client)."""

    def answer(handler: BaseHTTPRequestHandler) -> None:
        try:
            handler.wfile.write(b"HTTP/1.1 200 OK\r\n")
            for n in range(lines):
                handler.wfile.write(b"X-Trickle-%d: still coming\r\n" % n)
                handler.wfile.flush()
                time.sleep(every)
        except (BrokenPipeError, ConnectionResetError):
            pass
        handler.close_connection = True

    return answer



class LoopbackProxy:
    """A forwarding HTTP proxy on a loopback address: takes `GET http://host:port/path` (the
    absolute form clients send a proxy), fetches it and relays the answer; records every URL it
    was asked for in `asked`."""

    def __init__(self, host: str = "127.0.0.3") -> None:
        import http.client
        from urllib.parse import urlsplit

        self.host = host
        self.asked: list[str] = []
        proxy = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
                proxy.asked.append(self.path)
                target = urlsplit(self.path)
                upstream = http.client.HTTPConnection(target.hostname, target.port or 80, timeout=10)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection", "connection")}
                upstream.request("GET", target.path + (f"?{target.query}" if target.query else ""), headers=headers)
                answer = upstream.getresponse()
                body = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Via", "1.1 loopback-proxy")
                self.end_headers()
                self.wfile.write(body)
                upstream.close()

        self._httpd = _QuietServer((host, 0), _Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self._httpd.server_address[1]}"

    def start(self) -> "LoopbackProxy":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class RangedFile:
    """A route serving one file as a static file server does: its ETag and Last-Modified, and
    `Range: bytes=N-` answered 206 from byte N when `If-Range` (if sent) names this version, else
    200 with the whole file; `ranges=False`: a server that ignores Range. Sent `bytes_per_second`
    at most (None: as fast as it goes). With `pause_at` it stops after that many bytes of a body,
    sets `paused` and waits for `resume` (a download to kill half-way). `answers` logs each
    request's (status, Range header)."""

    PIECE = 16 * 1024

    def __init__(self, body: bytes, *, etag: str | None = '"v1"', last_modified: str | None = None,
                 ranges: bool = True, bytes_per_second: float | None = None) -> None:
        self.body, self.etag, self.last_modified, self.ranges = body, etag, last_modified, ranges
        self.bytes_per_second = bytes_per_second
        self.pause_at: int | None = None
        self.paused, self.resume = threading.Event(), threading.Event()
        self.answers: list[tuple[int, str | None]] = []

    def replace(self, body: bytes, *, etag: str | None = '"v2"', last_modified: str | None = None) -> None:
        """The file changes on the server."""
        self.body, self.etag, self.last_modified = body, etag, last_modified

    def _start(self, handler: BaseHTTPRequestHandler) -> int:
        wanted, guard = handler.headers.get("Range"), handler.headers.get("If-Range")
        if not (self.ranges and wanted and wanted.startswith("bytes=") and wanted.endswith("-")):
            return 0
        if guard is not None and guard not in (self.etag, self.last_modified):
            return 0  # another version than the client holds: the whole file
        return int(wanted[len("bytes="):-1])

    def __call__(self, handler: BaseHTTPRequestHandler) -> None:
        body, start = self.body, self._start(handler)
        if start >= len(body) > 0:
            self.answers.append((416, handler.headers.get("Range")))
            handler.send_response(416)
            handler.send_header("Content-Range", f"bytes */{len(body)}")
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            return
        status = 206 if start else 200
        self.answers.append((status, handler.headers.get("Range")))
        try:
            handler.send_response(status)
            handler.send_header("Content-Type", "application/octet-stream")
            handler.send_header("Content-Length", str(len(body) - start))
            handler.send_header("Accept-Ranges", "bytes" if self.ranges else "none")
            if status == 206:
                handler.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
            for name, value in (("ETag", self.etag), ("Last-Modified", self.last_modified)):
                if value:
                    handler.send_header(name, value)
            handler.end_headers()
            self._send(handler, body, start)
        except (BrokenPipeError, ConnectionResetError):
            handler.close_connection = True

    def _send(self, handler: BaseHTTPRequestHandler, body: bytes, start: int) -> None:
        position = start
        while position < len(body):
            if self.pause_at is not None and position >= self.pause_at:
                self.pause_at = None
                handler.wfile.flush()
                self.paused.set()
                self.resume.wait(60)
            piece = body[position:position + self.PIECE]
            if self.pause_at is not None and position < self.pause_at < position + len(piece):
                piece = piece[:self.pause_at - position]
            handler.wfile.write(piece)
            position += len(piece)
            if self.bytes_per_second:
                time.sleep(len(piece) / self.bytes_per_second)
        handler.wfile.flush()
