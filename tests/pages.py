"""A test client that checks every page it fetches, the way a careful reviewer would:
strict HTML, one <h1>, a <title> that starts with it, unique ids and a nonce on every script."""

from __future__ import annotations

import re
from dataclasses import dataclass

import html5lib
from bs4 import BeautifulSoup
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


class PageProblem(AssertionError):
    pass


def check_page(response: TestResponse) -> BeautifulSoup:
    html = response.get_data(as_text=True)
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        line = html.splitlines()[parser.errors[0][0][0] - 1] if parser.errors else ""
        raise PageProblem(f"invalid HTML: {error}: {line.strip()[:200]}") from None
    soup = BeautifulSoup(html, "html.parser")
    headings = soup.find_all("h1")
    if len(headings) != 1:
        raise PageProblem(f"expected one <h1>, found {len(headings)}")
    heading = " ".join(headings[0].get_text().split())
    title = " ".join(soup.title.get_text().split())
    # An error prefix ("Error: ", "Błąd: ") may come first, in the page's language.
    if not (title.startswith(heading) or re.sub(r"^[^:]{1,20}: ", "", title).startswith(heading)):
        raise PageProblem(f"title {title!r} does not start with the <h1> {heading!r}")
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        raise PageProblem(f"duplicate ids: {sorted(duplicates)}")
    policy = response.headers.get("Content-Security-Policy", "")
    nonce = re.search(r"'nonce-([^']+)'", policy)
    if nonce is None:
        raise PageProblem("no CSP nonce in the Content-Security-Policy header")
    for script in soup.find_all("script"):
        if script.get("nonce") != nonce.group(1):
            raise PageProblem(f"script without the response's nonce: {str(script)[:120]}")
    return soup


@dataclass
class Page:
    response: TestResponse
    soup: BeautifulSoup

    @property
    def text(self) -> str:
        return " ".join(self.soup.get_text(" ").split())

    @property
    def csrf_token(self) -> str:
        field = self.soup.find("input", attrs={"name": "csrf_token"})
        return field["value"]

    @property
    def h1(self) -> str:
        return " ".join(self.soup.h1.get_text().split())

    def error_summary(self) -> list[str]:
        summary = self.soup.select(".govuk-error-summary__list a")
        return [" ".join(a.get_text().split()) for a in summary]


class CheckedClient:
    """Wraps Flask's test client; every HTML response is checked before a test sees it."""

    def __init__(self, client: FlaskClient):
        self.client = client

    def _page(self, response: TestResponse, expect: int) -> Page | TestResponse:
        assert response.status_code == expect, (
            f"expected {expect}, got {response.status_code} for {response.request.path}")
        if response.mimetype == "text/html" and response.status_code != 302:
            try:
                return Page(response, check_page(response))
            except PageProblem as problem:
                raise PageProblem(f"{response.request.path}: {problem}") from None
        return response

    def get(self, url: str, expect: int = 200, **kwargs):
        return self._page(self.client.get(url, **kwargs), expect)

    def post(self, url: str, data: dict | None = None, expect: int = 302, **kwargs):
        return self._page(self.client.post(url, data=data or {}, **kwargs), expect)

    def submit(self, url: str, data: dict | None = None, expect: int = 302):
        """GET the form page, then POST its form with the page's CSRF token."""
        page = self.get(url)
        return self.post(url, {"csrf_token": page.csrf_token, **(data or {})}, expect=expect)
