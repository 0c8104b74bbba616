"""A resident using the service in a real browser: by mouse, by keyboard alone, or without
JavaScript. Every page they reach is scanned with axe-core for WCAG 2.2 AA."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page

from mle.content import Content, Question
from tests.journeys import default_answer

AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def axe_violations(page: Page) -> list[str]:
    results = AXE.run(page, options=AXE_OPTIONS)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
            f"{v['nodes'][0]['target']})" for v in results.response["violations"]]


def scan_snapshot(scanner: Page, url: str, html: str) -> list[str]:
    """Scan a page seen without JavaScript: axe needs JavaScript, so the exact HTML the
    resident got (scripts removed) is served to a second page at the same address."""
    html = re.sub(r"<script\b.*?</script>", "", html, flags=re.S | re.I)
    scanner.route(url, lambda route: route.fulfill(body=html, content_type="text/html"))
    try:
        scanner.goto(url)
        return axe_violations(scanner)
    finally:
        scanner.unroute(url)


@dataclass
class Resident:
    page: Page
    content: Content
    keyboard_only: bool = False
    scanner: Page | None = None  # set when self.page runs without JavaScript
    scanned: list[str] = field(default_factory=list)
    # English text -> the text the page shows (for a journey in another language).
    t: Callable[[str], str] = str
    answering_for: str = "self"  # questions are worded for someone else when not "self"

    # Every arrival on a page goes through here, so none escapes the accessibility scan.
    def arrived(self) -> None:
        self.page.wait_for_load_state()
        url = self.page.url
        if self.scanner is None:
            violations = axe_violations(self.page)
        else:
            violations = scan_snapshot(self.scanner, url, self.page.content())
        assert violations == [], f"{url}: {violations}"
        self.scanned.append(url)

    def open(self, path: str) -> None:
        self.page.goto(path)
        self.arrived()

    def activate(self, target: Locator) -> None:
        """Follow a link or press a button: click it, or with keyboard_only, Tab to it and
        press Enter. Waits for the next page, then scans it."""
        if self.keyboard_only:
            tab_to(self.page, target)
            with self.page.expect_navigation():
                self.page.keyboard.press("Enter")
        else:
            with self.page.expect_navigation():
                target.click()
        self.arrived()

    def press_continue(self, name: str = "Continue") -> None:
        self.activate(self.page.get_by_role("button", name=self.t(name)))

    def choose(self, label: str, exact: bool = True) -> None:
        target = self.page.get_by_label(self.t(label), exact=exact)
        if self.keyboard_only:
            tab_to(self.page, target)
            self.page.keyboard.press("Space")
        else:
            target.check()

    def choose_radio(self, group: Locator, label: str) -> None:
        label = self.t(label)
        target = group.get_by_label(label, exact=True)
        if not self.keyboard_only:
            target.check()
            return
        radios = group.get_by_role("radio")
        labels = [radios.nth(i).evaluate("el => el.labels[0].textContent.trim()")
                  for i in range(radios.count())]
        tab_to(self.page, radios.first)
        for _ in range(labels.index(label)):
            self.page.keyboard.press("ArrowDown")
        if labels.index(label) == 0:
            self.page.keyboard.press("Space")
        assert target.is_checked()

    def type_into(self, label: str, text: str) -> None:
        target = self.page.get_by_label(self.t(label), exact=True)
        if self.keyboard_only:
            tab_to(self.page, target)
            self.page.keyboard.press("Control+A")
            self.page.keyboard.type(text)
        else:
            target.fill(text)

    # The journey -----------------------------------------------------------------------

    def start(self) -> None:
        self.open("/")
        self.activate(self.page.get_by_role("button", name=self.t("Start now")))

    def about_you(self, answering_for="Myself", age="65 to 74", postcode="ML5 2QT") -> None:
        self.answering_for = "self" if answering_for == "Myself" else "someone_else"
        groups = self.page.locator("fieldset")
        self.choose_radio(groups.nth(0), answering_for)
        self.choose_radio(groups.nth(1), age)
        self.type_into("Postcode (optional)", postcode)
        self.press_continue()

    def topics(self, titles: list[str]) -> None:
        for title in titles:
            self.choose(title)
        self.press_continue()

    def current_question(self) -> Question | None:
        parts = self.page.url.split("?")[0].rstrip("/").split("/")
        if len(parts) < 3 or parts[-3] != "questions":
            return None
        return self.content.module(parts[-2]).question_for(parts[-1], self.answering_for)

    def answer(self, question: Question, value) -> None:
        if question.type in ("single_choice", "yes_no"):
            labels = ({"yes": "Yes", "no": "No"} if question.type == "yes_no"
                      else {o.value: o.label for o in question.options})
            self.choose_radio(self.page.locator("fieldset").first, labels[value])
        elif question.type == "multiple_choice":
            labels = {o.value: o.label for o in question.all_options}
            for item in value:
                self.choose(labels[item])
        elif value:
            self.type_into(question.text, str(value))
        self.press_continue()

    def answer_all(self, answers: dict | None = None, stop_at: str | None = None) -> None:
        answers = answers or {}
        for _ in range(60):
            question = self.current_question()
            if question is None or question.id == stop_at:
                return
            module_id = self.page.url.split("?")[0].rstrip("/").split("/")[-2]
            value = answers.get(module_id, {}).get(question.id, default_answer(question))
            self.answer(question, value)
        raise AssertionError("too many questions")

    def confirm_answers(self) -> None:
        heading = self.page.get_by_role("heading", level=1)
        assert heading.inner_text() == self.t("Check your answers")
        self.activate(self.page.get_by_role("button", name=self.t("Get my results")))
        assert heading.inner_text() == self.t("Your results")


def tab_to(page: Page, target: Locator, limit: int = 120) -> None:
    """Press Tab until the target has focus, as a keyboard user would."""
    target.wait_for()
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"could not reach {target} with the Tab key")
