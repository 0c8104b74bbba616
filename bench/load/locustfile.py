"""Virtual residents and staff for Locust (started by bench/load/run.py and the other scripts).

A resident replays the whole journey: start, about you, topics, every question on their route
with a random fair answer, check answers, the result and feedback, carrying the CSRF token of
each form. Every GET must be 200 and every POST a redirect; anything else is a failure. Between
pages they think for a moment, as people do. Editors and managers (a small share) sign in and
read their pages. The baseline user requests only the baseline page.

Each virtual person sends its own X-Forwarded-For address (the stack runs with
MLE_PROXY_HOPS=1), so rate limits stay on and count each person separately, as behind a load
balancer. Through HAProxy (MLE_LOAD_BALANCER_CA names its certificate), which sets that header
itself, each virtual person connects from a loopback address of their own instead.

Completed assessments are counted in a file named by MLE_LOAD_COMPLETED (one line per result
page reached, with the assessment id from the session cookie), for the fault run's check.
"""

from __future__ import annotations

import base64
import contextlib
import itertools
import json
import os
import random
import re
import sys
import zlib
from pathlib import Path

from locust import HttpUser, between, task
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from mle.site import load_site  # noqa: E402

CONTENT = load_site(ROOT / "questionnaires", ROOT / "directory").content
MODULES = list(CONTENT.modules)
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
THINK = (float(os.environ.get("MLE_LOAD_THINK_MIN", "1")),
         float(os.environ.get("MLE_LOAD_THINK_MAX", "3")))
_addresses = itertools.count(1)
COMPLETED = os.environ.get("MLE_LOAD_COMPLETED")
# The certificate of the HAProxy in front of the instances (bench/load/instances.py), if any.
BALANCER_CA = os.environ.get("MLE_LOAD_BALANCER_CA")


class _PlainHttpJar(RequestsCookieJar):
    """Production cookies are Secure; the load test speaks plain HTTP to gunicorn on
    loopback, as a TLS-terminating proxy would. Keep them as if they were not, so they are
    sent back."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


def answer_for(question) -> object:
    kind = question.type
    if kind == "single_choice":
        return random.choice(question.options).value
    if kind == "multiple_choice":
        if question.none_option and random.random() < 0.3:
            return [question.none_option.value]
        picks = random.sample(question.options, k=random.randint(1, min(2, len(question.options))))
        return [o.value for o in picks]
    if kind == "yes_no":
        return random.choice(["yes", "no"])
    if kind == "number":
        return str(random.randint(int(question.min), int(question.max)))
    return "" if question.optional else "It is hard some days"


def _session_assessment(cookie: str | None) -> str | None:
    """The assessment id in Flask's signed (not encrypted) session cookie."""
    if not cookie:
        return None
    payload = cookie.split(".")[1] if cookie.startswith(".") else cookie.split(".")[0]
    data = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.startswith("."):
        data = zlib.decompress(data)
    return json.loads(data).get("assessment_id")


class _FromAddress(HTTPAdapter):
    """Connect from a loopback address of one's own (all of 127/8 is this machine)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class _Person(HttpUser):
    abstract = True
    wait_time = between(*THINK)

    def on_start(self) -> None:
        number = next(_addresses)
        self.client.cookies = _PlainHttpJar()
        if BALANCER_CA:
            # Through HAProxy, which overwrites X-Forwarded-For with the address it was
            # reached from: each virtual person comes from a loopback address of their own.
            self.client.trust_env = False  # else REQUESTS_CA_BUNDLE replaces the certificate
            self.client.verify = BALANCER_CA
            self.client.mount("https://", _FromAddress(
                f"127.{10 + number // 62500}.{number // 250 % 250}.{number % 250 + 1}"))
        else:
            self.client.headers["X-Forwarded-For"] = (
                f"10.{(number >> 16) & 255}.{(number >> 8) & 255}.{number & 255}")

    def page(self, path: str, name: str | None = None) -> str:
        with self.client.get(path, name=name or path, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"GET {path}: {response.status_code}")
                raise _Stop
            return response.text

    def send(self, path: str, data: dict, html: str, name: str | None = None) -> str:
        """POST the form on this page with its CSRF token; return where it redirects."""
        token = TOKEN.search(html)
        if token is None:
            self.environment.events.request.fire(
                request_type="POST", name=name or path, response_time=0, response_length=0,
                response=None, context={}, exception=AssertionError("no CSRF token on the page"))
            raise _Stop
        # A browser's Referer: over HTTPS the CSRF check wants one from the service itself.
        with self.client.post(path, data={"csrf_token": token.group(1), **data},
                              name=name or path, allow_redirects=False,
                              headers={"Referer": self.host + path},
                              catch_response=True) as response:
            if response.status_code not in (302, 303):
                response.failure(f"POST {path}: {response.status_code}")
                raise _Stop
            location = response.headers["Location"]
            return location.removeprefix(self.host)

    def think(self) -> None:
        self.wait()


class _Stop(Exception):  # noqa: N818 (control flow: stop this journey, the failure is recorded)
    pass


class Resident(_Person):
    weight = 18

    @task
    def journey(self) -> None:
        with contextlib.suppress(_Stop):
            self._journey()
        self.client.cookies.clear()  # the next journey is a new person

    def _journey(self) -> None:
        html = self.page("/")
        self.think()
        location = self.send("/start", {}, html)
        html = self.page(location)
        self.think()
        about = {"answering_for": random.choice(["self", "someone_else"]),
                 "age_band": random.choice(["50_64", "65_74", "75_84", "85_plus"]),
                 "postcode": random.choice(["ML5 2QT", "ML1 1AB", "", "ML6 6AA"])}
        self.send("/about-you", about, html)
        html = self.page("/topics")
        self.think()
        topics = random.sample(MODULES, k=random.randint(1, 2))
        location = self.send("/topics", {"topics": topics}, html)
        for _ in range(60):
            if location.endswith("/check-answers"):
                break
            module_id, question_id = location.split("?")[0].rstrip("/").split("/")[-2:]
            question = CONTENT.module(module_id).question(question_id)
            html = self.page(location, name="/questions/[module]/[question]")
            self.think()
            location = self.send(location, {"answer": answer_for(question)}, html,
                                 name="/questions/[module]/[question]")
        html = self.page("/check-answers")
        self.think()
        location = self.send("/check-answers", {}, html)
        html = self.page("/result")
        if COMPLETED:
            with open(COMPLETED, "a") as out:
                out.write(f"{_session_assessment(self.client.cookies.get('mle_session'))}\n")
        self.think()
        if random.random() < 0.5:
            feedback = {"helpful": random.choice(["yes", "partly", "no"]),
                        "next_steps": random.sample(["try_advice", "contact_service"], k=1)}
            location = self.send("/result", feedback, html)
            self.page(location, name="/result?feedback=thanks")
        if random.random() < 0.3:
            self.page("/local-information/")
            self.page("/local-information/topic/money-advice?where=ML5+2QT",
                      name="/local-information/topic/[need]")


class _Staff(_Person):
    abstract = True
    email_variable = ""
    pages: tuple[str, ...] = ()

    def on_start(self) -> None:
        super().on_start()
        try:
            html = self.page("/staff/sign-in")
            self.send("/staff/sign-in", {"email": os.environ[self.email_variable],
                                         "password": os.environ["MLE_LOAD_STAFF_PASSWORD"]},
                      html)
        except _Stop:
            pass

    @task
    def read(self) -> None:
        try:
            for path in self.pages:
                self.page(path)
                self.think()
        except _Stop:
            pass


class Editor(_Staff):
    weight = 1
    email_variable = "MLE_LOAD_EDITOR"
    pages = ("/staff/", "/staff/directory/problems", "/local-information/",
             "/local-information/service/carers-uk-helpline")


class Manager(_Staff):
    weight = 1
    email_variable = "MLE_LOAD_MANAGER"
    pages = ("/staff/", "/staff/reports/")


class Baseline(_Person):
    """The yardstick: a page in the service's layout that writes one row."""

    weight = 1

    @task
    def baseline(self) -> None:
        with contextlib.suppress(_Stop):
            self.page("/bench/baseline")
