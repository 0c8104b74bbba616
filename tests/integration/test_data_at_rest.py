"""Nothing a resident tells the service, and nothing staff write about them, is stored in clear.

A whole journey is made with distinctive values: answers about drinking, a referral with contact
details, a note, an outcome, a problem report with an email address, and the result emailed.
Then every row of every table is read back as text, as someone holding a copy of the database
(a backup, a dump, a stolen disk) would read it, and none of those values may appear."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import urlparse

from click.testing import CliRunner
from sqlalchemy import MetaData, select

from mle.cli import mle_cli
from mle.database import db
from mle.models import AuditEvent, OutboxMessage, ProblemReport, Referral
from mle.referrals.sealed import outcome_of, summary_of
from mle.security.encryption import decrypt_json, encrypt_json
from tests.journeys import complete
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

NAME = "Zebedee Quartermaine"
PHONE = "01698 550192"
EMAIL = "zebedee.quartermaine@example.org"
ADDRESS = "14 Quillwort Lane, Coatbridge"
BEST_TIME = "After the pub quiz"
POSTCODE = "ML5 2QT"
NOTE = "Left a voicemail about the Quillwort visit"
OUTCOME = "Fitted grab rail Tuesday"
PROBLEM = f"Their phone number is wrong. Write to me at {EMAIL}"
DRINKING = {"addiction": {"in_danger_now": "no", "about_whom": "me", "worries": ["alcohol"],
                          "units_per_week": "units_over_35", "drinking_signs": ["morning"],
                          "impact": ["none"], "want_to_change": "want_help"}}
ANSWERS = ("More than 35 units", "Needing a drink first thing in the morning",
           "Yes, and I would like help to do it")
ASK = "/result/addiction/ask/addiction-recovery"
TEAM = "addiction-recovery"
# The area's list of every postcode in it: reference data, not anyone's answer.
POSTCODE_REFERENCE_TABLES = {"postcode"}


def email_the_result(client, result, address: str) -> None:
    """Enter the address, then confirm it on each following page until back at the result."""
    path = result.soup.find("a", string=re.compile("Email your results"))["href"]
    page = client.get(path)
    step = client.post(path, {"csrf_token": page.csrf_token, "email": address})
    for _ in range(3):
        if urlparse(step.location).path == "/result":
            return
        page = client.get(step.location)
        hidden = {field["name"]: field.get("value", "") for field in
                  page.soup.select("form[method=post] input[type=hidden]")}
        step = client.post(step.location, hidden)
    raise AssertionError(f"emailing the result did not finish: {step.location}")


def act_on_the_request(app, referral_id: int) -> None:
    """The team opens the request, adds a note, accepts it and closes it with an outcome."""
    staff = CheckedClient(app.test_client())
    sign_in(staff, app, make_staff(app, ["assessor"], team=TEAM))
    url = f"/staff/requests/{referral_id}"
    page = staff.get(url)
    assert NAME in page.text and ANSWERS[0] in page.text
    staff.post(f"{url}/notes", {"csrf_token": page.csrf_token, "note-note": NOTE})
    for status, outcome in (("accepted", ""), ("closed", OUTCOME)):
        page = staff.get(url)
        version = page.soup.find("input", attrs={"name": "status-version"})["value"]
        staff.post(f"{url}/status", {"csrf_token": page.csrf_token, "status-version": version,
                                     "status-status": status, "status-outcome": outcome})
    page = staff.get(url)
    assert NOTE in page.text and OUTCOME in page.text


def every_value(app) -> Iterator[tuple[str, str, str]]:
    """(table, column, value as text) for every value in the database; bytes are decoded as
    far as they are text, so anything stored in clear inside them is found."""
    with app.app_context():
        metadata = MetaData()
        metadata.reflect(bind=db.engine)
        with db.engine.connect() as connection:
            for table in metadata.sorted_tables:
                for row in connection.execute(select(table)):
                    for column, value in row._mapping.items():
                        yield table.name, column, as_text(value)


def as_text(value) -> str:
    if isinstance(value, memoryview):
        value = value.tobytes()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="ignore")
    return str(value)


def test_a_database_dump_holds_no_personal_data_in_clear(client, app, content):
    result = complete(client, content, ["addiction"], DRINKING, postcode=POSTCODE)
    assert result.soup.find("a", href=ASK) is not None, "the result offers no referral"
    client.submit(ASK, {"name": NAME, "phone": PHONE, "email": EMAIL, "address": ADDRESS,
                        "best_time": BEST_TIME, "consent": "y"})
    email_the_result(client, client.get("/result"), EMAIL)
    client.submit("/local-information/service/nl-community-alarm/report",
                  {"kind": "wrong_details", "details": PROBLEM}, expect=200)
    with app.app_context():
        referral = db.session.scalars(select(Referral)).one()
    act_on_the_request(app, referral.id)

    # Everything was stored (encrypted), so its absence below means something.
    with app.app_context():
        referral = db.session.get(Referral, referral.id)
        answers = {row["answer"] for row in summary_of(referral)["answers"]}
        assert set(ANSWERS) <= answers and outcome_of(referral) == OUTCOME
        assert decrypt_json(referral.contact)["name"] == NAME
        assert decrypt_json(db.session.scalars(select(ProblemReport)).one().details) == PROBLEM
        assert EMAIL in {decrypt_json(m.to) for m in db.session.scalars(select(OutboxMessage))}

    secrets = [NAME, PHONE, PHONE.replace(" ", ""), EMAIL, ADDRESS, BEST_TIME, NOTE, OUTCOME,
               "Quillwort", "Quartermaine", *ANSWERS]
    postcodes = [POSTCODE, POSTCODE.replace(" ", "")]
    found = []
    for table, column, text in every_value(app):
        text = text.lower()
        looked_for = secrets if table in POSTCODE_REFERENCE_TABLES else secrets + postcodes
        found += [(table, column, secret) for secret in looked_for if secret.lower() in text]
    assert found == []


def test_closed_problem_reports_are_deleted_after_their_retention_period(app):
    """What a resident wrote about a directory entry may name them or give their address: a
    report goes MLE_PROBLEM_REPORT_DAYS after an editor closes it. Open ones wait for an
    editor, however old."""
    now = datetime.now(UTC)
    days = app.config["MLE_PROBLEM_REPORT_DAYS"]
    ages = {"open and old": (now - timedelta(days=days * 3), None),
            "closed long ago": (now - timedelta(days=days + 10), now - timedelta(days=days + 1)),
            "closed lately": (now - timedelta(days=days + 10), now - timedelta(days=days - 1))}
    with app.app_context():
        for details, (created, resolved) in ages.items():
            db.session.add(ProblemReport(service_id="lanarkshire-carers", kind="other",
                                         details=encrypt_json(details), created_at=created,
                                         resolved_at=resolved))
        db.session.commit()
        result = CliRunner().invoke(mle_cli, ["purge", "--yes"])
    assert result.exit_code == 0, result.output
    assert "closed problem reports deleted: 1" in result.output
    with app.app_context():
        kept = {decrypt_json(r.details) for r in db.session.scalars(select(ProblemReport))}
        assert kept == {"open and old", "closed lately"}
        assert db.session.scalars(select(AuditEvent.action)).all() == ["problem_report.deleted"]
        again = CliRunner().invoke(mle_cli, ["purge", "--yes"])
        assert again.output.count("reports deleted: 0") == 1
