"""The local task server: real HTTP on 127.0.0.1, one unguessable path prefix per episode.

Each episode registers a `Site` under `/ep/<token>/`; the server routes requests there and the
site's task renders pages and records what the browser sent (visits, form posts). Rewards are
computed from this server-side state by trusted Python code, never from anything the policy
writes about itself.
"""

from __future__ import annotations

import secrets
import sys
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit

from gymhub.envs.web.tasks.base import Redirect

MAX_BODY_BYTES = 1 << 20


@dataclass
class SiteState:
    """What the browser did on a site: pages visited, forms posted, task data, the outcome."""

    visits: list[str] = field(default_factory=list)
    posts: list[tuple[str, dict[str, list[str]]]] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)
    done: bool = False
    outcome: dict[str, Any] = field(default_factory=dict)


class PageRenderer(Protocol):
    def render(
        self, method: str, path: str, params: dict[str, list[str]], state: SiteState
    ) -> str | Redirect | None: ...


class Site:
    """One episode's website: a task that renders pages and the state it accumulates."""

    def __init__(self, token: str, renderer: PageRenderer) -> None:
        self.token = token
        self.renderer = renderer
        self.state = SiteState()
        self.lock = threading.Lock()

    @property
    def prefix(self) -> str:
        return f"/ep/{self.token}/"

    def handle(
        self, method: str, path: str, params: dict[str, list[str]]
    ) -> tuple[int, str, str | None]:
        """(status, html, location): a `Redirect` is 303 to a path of the same site."""
        with self.lock:
            if len(self.state.visits) < 10_000:
                self.state.visits.append(path)
            if method == "POST" and len(self.state.posts) < 10_000:
                self.state.posts.append((path, params))
            try:
                html = self.renderer.render(method, path, params, self.state)
            except Exception as exc:  # a task bug: show it as a server error page
                return 500, f"<h1>Server error</h1><p>{type(exc).__name__}</p>", None
        if html is None:
            return 404, "<h1>Not found</h1>", None
        if isinstance(html, Redirect):
            location = self.prefix + html.path.lstrip("/")
            return 303, "<h1>See other</h1>", location
        # relative links resolve against the site root, wherever the page is
        return 200, html.replace("<head>", f"<head><base href='{self.prefix}'>", 1), None


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass  # quiet: the env reports what matters

    def _dispatch(self, method: str) -> None:
        split = urlsplit(self.path)
        params = parse_qs(split.query, keep_blank_values=True)
        if method == "POST":
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY_BYTES:
                self.close_connection = True
                self._send(413, "<h1>Request too large</h1>")
                return
            body = self.rfile.read(length).decode("utf-8", "replace") if length else ""
            for key, values in parse_qs(body, keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        parts = split.path.split("/", 3)  # ['', 'ep', token, rest]
        site = None
        if len(parts) >= 3 and parts[1] == "ep":
            site = self.server.owner.sites.get(parts[2])
        if site is None:
            self._send(404, "<h1>Not found</h1>")
            return
        status, html, location = site.handle(method, parts[3] if len(parts) > 3 else "", params)
        self._send(status, html, location)

    def _send(self, status: int, html: str, location: str | None = None) -> None:
        data = html.encode("utf-8")
        self.send_response(status)
        if location is not None:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: TaskServer

    def handle_error(self, request: Any, client_address: Any) -> None:
        # a browser that hung up first (a page closed or navigated away while its request was
        # answered) is no error: the default printed a traceback to the hub's stderr each time
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class TaskServer:
    """The HTTP server behind every web episode of this process (bound to 127.0.0.1 only)."""

    def __init__(self) -> None:
        self.sites: dict[str, Site] = {}
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self._httpd is not None:
            return
        httpd = _Server(("127.0.0.1", 0), _Handler)
        httpd.owner = self
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True
        )
        self._thread.start()

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add_site(self, renderer: PageRenderer) -> Site:
        site = Site(secrets.token_hex(16), renderer)
        self.sites[site.token] = site
        return site

    def remove_site(self, site: Site | None) -> None:
        if site is not None:
            self.sites.pop(site.token, None)

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
        self.sites.clear()
