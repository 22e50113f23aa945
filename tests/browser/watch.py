"""What a page did: every request it made, those that went (or tried to go) to another host than the server, and
every console error and uncaught page error. Requests to other hosts are aborted, so none leaves the machine."""
from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from playwright.sync_api import ConsoleMessage, Page, Route, WebSocket

LOCAL_SCHEMES = ("data", "blob", "about")       # never a network request
FAILED_LOAD = "Failed to load resource: the server responded with a status of"
BLOCKED = "Failed to load resource: net::ERR_BLOCKED_BY_CLIENT"


@dataclass
class Watch:
    """The record of one page; `problems()` lists what fails a test."""

    origin: str                                       # the server's scheme://host:port
    requests: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    expected_failures: set[str] = field(default_factory=set)   # URLs whose error status a test asked for
    reported: int = 0                                 # how many of problems() a failed test has shown already

    def attach(self, page: Page) -> None:
        """Route every request of the page through the check and listen to its console and errors."""
        page.route("**/*", self._route)
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("websocket", self._websocket)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.errors.append(f"page error: {error}"))

    def is_ours(self, url: str) -> bool:
        """Whether a URL is the server's own (or no network request at all)."""
        parts = urlsplit(url)
        return parts.scheme in LOCAL_SCHEMES or f"{parts.scheme}://{parts.netloc}" == self.origin

    def _route(self, route: Route) -> None:
        """Let the server's requests through; record and abort any other."""
        url = route.request.url
        if self.is_ours(url):
            route.continue_()
        else:
            self.outside.append(url)
            route.abort("blockedbyclient")

    def _websocket(self, socket: WebSocket) -> None:
        """A WebSocket is not routed: one to another host is recorded as outside."""
        if urlsplit(socket.url).netloc != urlsplit(self.origin).netloc:
            self.outside.append(socket.url)

    def _console(self, message: ConsoleMessage) -> None:
        """Record console errors, except the browser's note on a response whose error status the test expects."""
        if message.type != "error":
            return
        url = message.location.get("url", "")
        if message.text.startswith(FAILED_LOAD) and url in self.expected_failures:
            return
        if message.text.startswith(BLOCKED) and url in self.outside:
            return                                  # the browser's note on a request aborted above
        self.errors.append(f"console error at {url or '?'}: {message.text}")

    def problems(self) -> list[str]:
        """Requests to other hosts and errors, one line each."""
        return [f"request to another host: {url}" for url in self.outside] + self.errors

