"""Can a person take in their result at a glance? Resident journeys in the test suite's browser
(Playwright driving Debian's Chromium, keyboard only) against the app on a private SQLite
database: for each persona, the pages and key presses to the result, the result's height at
320 px and at 1280 px wide, and where its plan ends on a 1280x800 first screen.

    .venv/bin/python bench/result_glance.py [--label after]
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["MLE_ENV"] = "testing"

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 320, "height": 640}


@dataclass(frozen=True)
class Persona:
    name: str
    answering_for: str  # the label the person chooses
    age: str
    postcode: str
    topics: tuple[str, ...]
    cases: tuple[tuple[str, str], ...]  # (module id, content test case id) giving the answers


PERSONAS = (
    Persona("82-year-old, bathing and falls", "Myself", "75 to 84", "ML5 2QT",
            ("Bathing and showering", "Falls and feeling steady"),
            (("bathing", "fell-in-shower-standing-hard"), ("falls", "one-fall-and-unsteady"))),
    Persona("daughter for her mother, memory and caring", "Someone I care for or help",
            "85 or over", "ML5 2QT", ("Mind and memory", "Caring for someone"),
            (("memory", "lives-alone-mixes-medicines-dispenser-withheld"),
             ("carer", "health-and-work-affected"))),
    Persona("carer", "Myself", "50 to 64", "ML5 2QT", ("Caring for someone",),
            (("carer", "up-at-night-to-check"),)),
    Persona("hurt in a fall yesterday (urgent)", "Myself", "85 or over", "ML5 2QT",
            ("Falls and feeling steady",), (("falls", "hurt-in-a-fall-yesterday"),)),
    Persona("Glasgow resident, bathing", "Myself", "65 to 74", "G2 4PB",
            ("Bathing and showering",), (("bathing", "reaching-and-taps"),)),
)


def prepare_app(database: Path):
    """The app as tests/conftest.py builds it, on a database of its own."""
    from tests.app_setup import prepared_app

    return prepared_app(f"sqlite:///{database}")


class CountingKeyboard:
    def __init__(self, keyboard):
        self._keyboard = keyboard
        self.presses = 0

    def press(self, key, **options):
        self.presses += 1
        self._keyboard.press(key, **options)

    def type(self, text, **options):
        self.presses += len(text)
        self._keyboard.type(text, **options)


class CountingPage:
    """The browser page, with every key press counted."""

    def __init__(self, page):
        self._page = page
        self.keyboard = CountingKeyboard(page.keyboard)

    def __getattr__(self, name):
        return getattr(self._page, name)


def answers_of(content, persona: Persona) -> dict:
    from tests.journeys import form_answers

    answers = {}
    for module_id, case_id in persona.cases:
        case = next(c for c in content.module(module_id).tests if c.id == case_id)
        answers[module_id] = form_answers(case)
    return answers


def run_persona(browser, base_url: str, content, persona: Persona,
                screenshots: Path | None = None) -> dict:
    from tests.e2e.resident import Resident

    class CountingResident(Resident):
        pages = 0

        def arrived(self) -> None:  # counted, not scanned: the e2e tests scan
            self.page.wait_for_load_state()
            self.pages += 1

    context = browser.new_context(base_url=base_url, viewport=DESKTOP)
    context.set_default_timeout(15_000)
    page = CountingPage(context.new_page())
    resident = CountingResident(page, content, keyboard_only=True)
    resident.start()
    resident.about_you(answering_for=persona.answering_for, age=persona.age,
                       postcode=persona.postcode)
    if "/about-you" in page.url:  # a page that asks to confirm the place: carry on
        resident.press_continue()
    resident.topics(list(persona.topics))
    resident.answer_all(answers_of(content, persona))
    resident.confirm_answers()
    figures = {"pages": resident.pages, "keys": page.keyboard.presses}
    plan = page.locator(".mle-plan")
    figures["plan bottom (1280x800)"] = (
        round(plan.bounding_box()["y"] + plan.bounding_box()["height"]) if plan.count() else None)
    figures["height 1280"] = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size(PHONE)
    figures["height 320"] = page.evaluate("document.documentElement.scrollHeight")
    if screenshots is not None:  # for reading the result as the person would
        screenshots.mkdir(parents=True, exist_ok=True)
        name = "".join(c if c.isalnum() else "-" for c in persona.name.lower())
        page.screenshot(path=str(screenshots / f"{name}-320.png"), full_page=True)
    figures["screens 320"] = round(figures["height 320"] / PHONE["height"], 1)
    context.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--label", default="run", help="before, after, ... (in the file name)")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--only", default="", help="only personas whose name holds this")
    parser.add_argument("--screenshots", type=Path, help="save each result at 320 px here")
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright
    from werkzeug.serving import make_server

    from mle.extensions import limiter
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    rows = []
    with tempfile.TemporaryDirectory() as folder:
        app = prepare_app(Path(folder) / "glance.db")
        limiter.enabled = False  # five journeys from one address in a minute
        content = app.extensions["mle_site"].content
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                     args=CHROMIUM_ARGS)
                for persona in (p for p in PERSONAS if args.only in p.name):
                    rows.append((persona, run_persona(browser, f"http://127.0.0.1:"
                                                      f"{server.server_port}", content,
                                                      persona, args.screenshots)))
                browser.close()
        finally:
            server.shutdown()
            thread.join(timeout=5)

    now = datetime.datetime.now(datetime.UTC)
    lines = [
        f"# Result at a glance ({args.label}), {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Command: `.venv/bin/python bench/result_glance.py --label {args.label}`",
        f"- Machine: {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Chromium at {CHROMIUM}",
        "- Keyboard only (Tab, arrows, Space, Enter, typing); English; desktop viewport "
        f"{DESKTOP['width']}x{DESKTOP['height']}, phone {PHONE['width']}x{PHONE['height']}",
        "- Plan bottom: where the plan (`.mle-plan`) ends on the desktop page, in px from the "
        f"top; it fits the first screen when at most {DESKTOP['height']}",
        "",
        "| persona | pages | key presses | plan bottom (1280x800) | height at 1280 px "
        "| height at 320 px | screens at 320 px |",
        "|---|---|---|---|---|---|---|",
    ]
    for persona, f in rows:
        plan = "no plan" if f["plan bottom (1280x800)"] is None else f["plan bottom (1280x800)"]
        lines.append(f"| {persona.name} | {f['pages']} | {f['keys']} | {plan} | "
                     f"{f['height 1280']} | {f['height 320']} | {f['screens 320']} |")
    text = "\n".join(lines) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"result_glance_{args.label}_{now:%Y-%m-%dT%H%M}.md"
    path.write_text(text, encoding="utf-8")
    print(text)
    print(f"written to {path}")


if __name__ == "__main__":
    main()
