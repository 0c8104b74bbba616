"""Three instances behind HAProxy, as deploy/ describes them, sharing one fresh PostgreSQL
database and one Redis: residents, assessors, editors and managers go through the load balancer,
round-robin with no sticky sessions, so consecutive requests land on different instances. Their
sessions, CSRF tokens, rate limits, emails and reports must behave as on one instance.

HAProxy names the instance that answered in X-Served-By (deploy/haproxy/mle.cfg, while
MLE_SHOW_INSTANCE=yes). Runs only on PostgreSQL (DATABASE_URL), as production does.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyotp
import pytest
import requests
from bs4 import BeautifulSoup
from requests.adapters import HTTPAdapter

from tests.conftest import ROOT, load_test_content
from tests.journeys import default_answer
from tests.mail import MailServer, body_of, free_port

sys.path.insert(0, str(ROOT / "bench" / "load"))

from balanced import Balanced, example_environment  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "")
INSTANCES = 3
PASSWORD = "several instances staff password"
RESIDENT_EMAIL = "resident@example.org"

pytestmark = [
    pytest.mark.skipif(not DATABASE_URL.startswith(("postgresql", "postgres:")),
                       reason="instances share PostgreSQL in production: runs when DATABASE_URL "
                              "names a PostgreSQL server"),
    pytest.mark.skipif(shutil.which("haproxy") is None or shutil.which("redis-server") is None,
                       reason="needs Debian's haproxy and redis-server (.ci/run installs them)"),
]


def _run(env: dict, *args: str) -> str:
    done = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


STAFF_SCRIPT = """
import sys
from mle import create_app
from mle.accounts import service
from mle.database import db
from mle.security.encryption import encrypt_json
from mle.security.passwords import hash_password
app = create_app()
with app.app_context():
    for role, team, secret in (a.split(":") for a in sys.argv[2:]):
        user = service.create_user(f"{role}@example.org", f"Pat {role}", [role], team or None)
        user.password_hash = hash_password(sys.argv[1])
        user.totp_secret = encrypt_json(secret)
    db.session.commit()
"""


class Deployment:
    def __init__(self, balanced: Balanced, env: dict, mail: MailServer, secrets_: dict):
        self.balanced = balanced
        self.env = env
        self.mail = mail
        self.totp = secrets_
        self.url = balanced.url
        self.certificate = str(balanced.certificate)
        self.names = {f"mle{n + 1}" for n in range(INSTANCES)}


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    import psycopg
    from cryptography.fernet import Fernet

    folder = tmp_path_factory.mktemp("instances")
    admin_url = DATABASE_URL.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"mle_instances_{uuid.uuid4().hex[:10]}"
    redis_port = free_port()
    redis = subprocess.Popen([shutil.which("redis-server"), "--port", str(redis_port),
                              "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                             stdout=subprocess.DEVNULL, start_new_session=True)
    mail = MailServer(free_port())
    mail.start()
    balanced = None
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        env = {**os.environ, **example_environment(),
               "SECRET_KEY": secrets.token_urlsafe(48),
               "MLE_DATA_KEYS": Fernet.generate_key().decode(),
               "DATABASE_URL": admin_url.rsplit("/", 1)[0] + "/" + name,
               "RATELIMIT_STORAGE_URI": f"redis://127.0.0.1:{redis_port}/0",
               "MLE_SMTP_HOST": "127.0.0.1", "MLE_SMTP_PORT": str(mail.port),
               # Each instance's workers keep the protected year for a second, not five
               # minutes, so the test can wait out the age.
               "MLE_REPORTS_MAX_AGE_SECONDS": "1"}
        balanced = Balanced(env, INSTANCES, workers=1)
        env["MLE_BASE_URL"] = balanced.url
        flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi"]
        _run(env, *flask, "db", "upgrade")
        _run(env, *flask, "mle", "seed")
        totp = {role: pyotp.random_base32() for role in ("assessor", "editor", "manager")}
        teams = {"assessor": "occupational-therapy", "editor": "", "manager": ""}
        _run(env, sys.executable, "-c", STAFF_SCRIPT, PASSWORD,
             *(f"{role}:{teams[role]}:{secret}" for role, secret in totp.items()))
        balanced.start(folder / "run.log")
        yield Deployment(balanced, env, mail, totp)
    finally:
        if balanced is not None:
            balanced.stop()
        mail.stop()
        redis.terminate()
        redis.wait(10)
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class _FromAddress(HTTPAdapter):
    """Connect from a loopback address of one's own (all of 127/8 is this machine), so each
    person reaches HAProxy, and so the rate limits, from an address of their own."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


_addresses = iter(range(2, 250))


class Person:
    """A browser through the load balancer: keeps cookies, sends the Referer a browser sends
    (CSRF's referrer check is on over HTTPS), and notes which instance served each request."""

    def __init__(self, deployment: Deployment):
        self.base = deployment.url
        self.session = requests.Session()
        self.session.trust_env = False  # REQUESTS_CA_BUNDLE would replace the run's certificate
        self.session.verify = deployment.certificate
        self.session.mount("https://", _FromAddress(f"127.0.0.{next(_addresses)}"))
        self.served_by: list[str] = []
        self.last_page = self.base + "/"
        self.html = ""

    def _note(self, response: requests.Response) -> requests.Response:
        self.served_by.append(response.headers.get("X-Served-By", "?"))
        return response

    def get(self, path: str, expect: int = 200) -> str:
        response = self._note(self.session.get(self.base + path, allow_redirects=False,
                                               timeout=30))
        assert response.status_code == expect, (path, response.status_code)
        self.last_page, self.html = self.base + path, response.text
        return response.text

    def post(self, path: str, data: dict, token: str | None = None,
             expect: tuple = (302, 303)) -> requests.Response:
        token = token if token is not None else csrf_token(self.html)
        response = self._note(self.session.post(
            self.base + path, data={"csrf_token": token, **data}, allow_redirects=False,
            headers={"Referer": self.last_page}, timeout=30))
        assert response.status_code in expect, (path, response.status_code,
                                                error_summary(response.text))
        return response

    def submit(self, path: str, data: dict) -> str:
        """GET the page, POST its form; the path it redirects to."""
        self.get(path)
        return self.post(path, data).headers["Location"].removeprefix(self.base)


def csrf_token(html: str) -> str:
    found = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def error_summary(html: str) -> list[str]:
    soup = BeautifulSoup(html, "html.parser")
    return [" ".join(a.get_text().split()) for a in soup.select(".govuk-error-summary__list a")]


def heading(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").h1.get_text().split())


def answer_every_question(person: Person, location: str) -> None:
    content = load_test_content()
    for _ in range(200):
        if location.endswith("/check-answers"):
            return
        module_id, question_id = location.split("?")[0].rstrip("/").split("/")[-2:]
        question = content.module(module_id).question(question_id)
        location = person.submit(location, {"answer": default_answer(question)})
    raise AssertionError("the journey did not reach check your answers")


def questionnaire_to_result(person: Person, topics: list[str]) -> str:
    answer_every_question(person, person.submit("/topics", {"topics": topics}))
    person.submit("/check-answers", {})
    return person.get("/result")


def sign_in(person: Person, deployment: Deployment, role: str) -> None:
    location = person.submit("/staff/sign-in", {"email": f"{role}@example.org",
                                                "password": PASSWORD})
    assert location == "/staff/sign-in/code"
    code = pyotp.TOTP(deployment.totp[role]).now()
    assert person.submit(location, {"code": code}).startswith("/staff/")
    assert heading(person.get("/staff/")) == "Staff home"


def switches(served_by: list[str]) -> float:
    """The share of consecutive requests that went to a different instance."""
    pairs = list(zip(served_by, served_by[1:], strict=False))
    return sum(a != b for a, b in pairs) / len(pairs)


def assert_spread(person: Person, deployment: Deployment) -> None:
    assert set(person.served_by) == deployment.names, person.served_by
    assert switches(person.served_by) > 0.9, person.served_by


def main_text(html: str) -> str:
    return " ".join(BeautifulSoup(html, "html.parser").find("main").get_text(" ").split())


def check_a_resident_goes_from_the_questionnaire_to_an_emailed_result(deployment):
    resident = Person(deployment)
    start = resident.get("/")
    resident.post("/start", {}, token=csrf_token(start))
    resident.submit("/about-you", {"answering_for": "self", "age_band": "75_84",
                                   "postcode": "ML5 2QT"})
    result = questionnaire_to_result(resident, ["sight"])
    assert heading(result) == "Your results"
    email = re.search(r'href="(/result/[^"/]+/email)"', result).group(1)
    confirm = resident.submit(email, {"email": RESIDENT_EMAIL})
    assert resident.submit(confirm, {}).startswith("/result")
    # Every page and every form of the journey went through the balancer to all three
    # instances, one after the other: the session and each CSRF token made by one instance
    # were accepted by another.
    assert_spread(resident, deployment)
    assert len(resident.served_by) > 20

    # The outbox job runs on every machine (deploy/systemd/mle-outbox.timer): two at once
    # still send the email once.
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "wsgi", "mle", "send-outbox"]
    with ThreadPoolExecutor(2) as pool:
        outputs = list(pool.map(lambda _: _run(deployment.env, *flask), range(2)))
    sent = [int(re.search(r"sent: (\d+)", out).group(1)) for out in outputs]
    assert sorted(sent) == [0, 1], outputs
    to_resident = [m for m in deployment.mail.messages if m["To"] == RESIDENT_EMAIL]
    assert len(to_resident) == 1
    assert to_resident[0]["Subject"].startswith("Your results from")
    assert f"{deployment.url}/r/" in body_of(to_resident[0])  # a link back, to the public host


def check_a_form_with_a_tampered_csrf_token_is_refused_by_every_instance(deployment):
    resident = Person(deployment)
    token = csrf_token(resident.get("/"))
    tampered = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    refused = [resident.post("/start", {}, token=tampered, expect=(400,))
               for _ in range(INSTANCES)]
    assert all(heading(r.text) == "Your session has ended" for r in refused)
    assert set(resident.served_by[1:]) == deployment.names
    for _ in range(INSTANCES):  # the real token still works, on every instance
        resident.post("/start", {}, token=token)
    assert set(resident.served_by[-INSTANCES:]) == deployment.names


def check_the_rate_limit_holds_across_instances(deployment):
    """30 starts a minute from one address: counted in the shared Redis, so the 31st is
    refused though no instance has seen more than a third of them."""
    person = Person(deployment)
    token = csrf_token(person.get("/"))
    for _ in range(30):
        person.post("/start", {}, token=token)
    person.post("/start", {}, token=token, expect=(429,))
    starts = person.served_by[1:31]
    assert {name: starts.count(name) for name in deployment.names} == {
        name: 10 for name in deployment.names}
    # Another person, from another address, is not held back by it.
    other = Person(deployment)
    other.post("/start", {}, token=csrf_token(other.get("/")))


def check_an_assessor_signs_in_with_a_code_and_completes_an_assisted_assessment(deployment):
    assessor = Person(deployment)
    sign_in(assessor, deployment, "assessor")
    assert assessor.submit("/staff/assisted/new", {"how": "phone", "agreed": "y"}) == \
        "/about-you"
    assert "Assisted assessment" in assessor.get("/about-you")
    assessor.post("/about-you", {"answering_for": "self", "age_band": "85_plus",
                                 "postcode": "ML6 6AA"})
    result = questionnaire_to_result(assessor, ["sitting"])
    assert heading(result) == "Your results"
    assert_spread(assessor, deployment)


def check_an_editor_changes_a_directory_entry_seen_by_every_instance(deployment):
    editor = Person(deployment)
    sign_in(editor, deployment, "editor")
    listing = editor.get("/staff/directory/")
    entries = [link for link in re.findall(r'href="(/staff/directory/[^"/?]+)"', listing)
               if link.rsplit("/", 1)[1] not in ("new", "problems")]
    # An entry as an editor finds it, complete enough to save unchanged (imported entries may
    # still lack a topic, which the form asks for).
    for entry in entries[:10]:
        page = BeautifulSoup(editor.get(entry + "/edit"), "html.parser")
        form = next(f for f in page.find_all("form") if f.find(attrs={"name": "hours_note"}))
        fields = form_values(form)
        if fields.get("topics"):
            break
    else:
        raise AssertionError("no directory entry with a topic among the first ten")
    note = f"Closed on public holidays ({uuid.uuid4().hex[:6]})."
    fields["hours_note"] = note
    editor.post(entry + "/edit", fields)
    seen_by = set()
    for _ in range(INSTANCES):
        assert note in editor.get(entry + "/edit")
        seen_by.add(editor.served_by[-1])
    assert seen_by == deployment.names
    assert_spread(editor, deployment)


def form_values(form) -> dict:
    """What a browser would send for this form as it stands."""
    values: dict = {}
    for field in form.find_all(["input", "textarea", "select"]):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.name == "textarea":
            value = field.get_text()
        elif field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            value = chosen.get("value", chosen.get_text()) if chosen else ""
        elif field.get("type") in ("checkbox", "radio"):
            if not field.has_attr("checked"):
                continue
            value = field.get("value", "y")
        else:
            value = field.get("value", "")
        if name in values:
            existing = values[name]
            values[name] = [*existing, value] if isinstance(existing, list) else [existing, value]
        else:
            values[name] = value
    values.pop("csrf_token", None)
    return values


def check_every_instance_shows_a_manager_the_same_reports(deployment):
    """Each worker of each instance keeps report figures of its own in memory: whichever
    instance a manager reaches, before and after a new outcome, the reports are the same."""
    manager = Person(deployment)
    sign_in(manager, deployment, "manager")
    before = [main_text(manager.get("/staff/reports/")) for _ in range(INSTANCES)]
    assert set(manager.served_by[-INSTANCES:]) == deployment.names
    assert before[0] and before == [before[0]] * INSTANCES

    resident = Person(deployment)
    resident.post("/start", {}, token=csrf_token(resident.get("/")))
    resident.submit("/about-you", {"answering_for": "self", "age_band": "65_74",
                                   "postcode": "ML1 1AB"})
    questionnaire_to_result(resident, ["household"])
    time.sleep(1.2)  # the reports' maximum age for this run (MLE_REPORTS_MAX_AGE_SECONDS=1)
    after = [main_text(manager.get("/staff/reports/")) for _ in range(INSTANCES)]
    assert set(manager.served_by[-INSTANCES:]) == deployment.names
    assert after == [after[0]] * INSTANCES


def check_haproxy_logged_the_same_spread_as_the_responses_said(deployment):
    """HAProxy's own log (one line per request, naming backend/server) agrees that every
    instance served a share of the requests, and that the health checks found them all up."""
    log = (deployment.balanced.folder / "haproxy.log").read_text()
    counts = {name: len(re.findall(rf" mle_instances/{name} ", log))
              for name in deployment.names}
    total = sum(counts.values())
    assert total > 100, counts
    assert all(count > total / (INSTANCES + 1) for count in counts.values()), counts
    assert " is DOWN" not in log


def test_people_and_staff_through_three_instances(deployment):
    """One test, so that one worker of a parallel run starts the deployment once and nothing
    else uses it meanwhile (the rate limit and the spread are counted exactly)."""
    check_a_resident_goes_from_the_questionnaire_to_an_emailed_result(deployment)
    check_a_form_with_a_tampered_csrf_token_is_refused_by_every_instance(deployment)
    check_the_rate_limit_holds_across_instances(deployment)
    check_an_assessor_signs_in_with_a_code_and_completes_an_assisted_assessment(deployment)
    check_an_editor_changes_a_directory_entry_seen_by_every_instance(deployment)
    check_every_instance_shows_a_manager_the_same_reports(deployment)
    check_haproxy_logged_the_same_spread_as_the_responses_said(deployment)
