"""A browser tab on the server for one test: open a path and check its status, with a Watch on everything the
page does (the fixture `tab` fails the test on a request to another host or on any console or page error)."""
from __future__ import annotations

from dataclasses import dataclass

from playwright.sync_api import Page, Response

from browser.served import Served
from browser.watch import Watch


@dataclass
class Tab:
    """A page, the server it talks to and the record of what it did."""

    page: Page
    server: Served
    watch: Watch

    def open(self, path: str, status: int = 200) -> Response:
        """Load a path (following redirects) and require the final status; an error status asked for here is not
        counted as a console error."""
        url = self.server.url(path)
        if status >= 400:
            self.watch.expected_failures.add(url)
        response = self.page.goto(url, wait_until="load")
        assert response is not None, f"no response for {url}"
        assert response.status == status, f"{url}: {response.status}, expected {status}"
        return response

    def redirects(self, response: Response) -> list[tuple[str, int]]:
        """The chain of redirects that led to a response: (URL, status) from the first request on."""
        chain = []
        earlier = response.request.redirected_from
        while earlier is not None:
            answered = earlier.response()
            chain.append((earlier.url, answered.status if answered else 0))
            earlier = earlier.redirected_from
        return chain[::-1]

    def heading(self) -> str:
        """The text of the page's first <h1>."""
        return self.page.locator("h1").first.inner_text().strip()
