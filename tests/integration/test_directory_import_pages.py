"""Editors take in a file from the web, read the stored run, confirm its suggested topics and
publish its drafts in bulk; residents then find the service, with its phone number."""

from __future__ import annotations

import io
import json
import re

from sqlalchemy import delete, select

from mle.database import db
from mle.models import Service, ServiceSource, TopicSuggestion
from tests.integration.test_directory_sync import ORGANIZATION, _id, record
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in


def _upload(client: CheckedClient, records, *, source="oruk", dry_run=False, expect=302,
            name="feed.json"):
    page = client.get("/staff/directory/imports/new")
    data = {"csrf_token": page.csrf_token, "source": source,
            "file": (io.BytesIO(json.dumps(records).encode()), name)}
    if dry_run:
        data["dry_run"] = "y"
    return client.post("/staff/directory/imports/new", data, expect=expect,
                       content_type="multipart/form-data")


def _forget(app, keys):
    with app.app_context():
        for key in keys:
            sid = _id(key)
            db.session.execute(delete(TopicSuggestion).where(TopicSuggestion.service_id == sid))
            db.session.execute(delete(ServiceSource).where(ServiceSource.service_id == sid))
            if db.session.get(Service, sid):
                db.session.delete(db.session.get(Service, sid))
        db.session.commit()


def test_an_editor_imports_reads_the_run_confirms_topics_and_publishes(app):
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["editor"]))
    records = [record("web-falls", "Strength and Balance Classes",
                      term="Falls prevention classes", phone="01632 960123"),
               record("web-away", "Glasgow Walking Group", area="Glasgow City"),
               {"id": _id("web-bad"), "name": "", "status": "active",
                "organization": {"id": ORGANIZATION, "name": "Lanarkshire Test Trust"}}]
    try:
        dry = _upload(client, records, dry_run=True, expect=200)
        assert "Dry run: nothing was changed" in dry.text
        assert "Give the service a name in the source" in dry.text
        with app.app_context():
            assert db.session.get(Service, _id("web-falls")) is None

        done = _upload(client, records)
        run_url = done.location
        assert re.fullmatch(r"/staff/directory/imports/\d+", run_url)
        run = client.get(run_url)
        assert "Strength and Balance Classes" in run.text and "Glasgow Walking Group" in run.text
        assert "the service has no name" in run.text and "How to fix it:" in run.text
        assert "outside this partnership" in run.text

        with app.app_context():
            suggestion = db.session.scalar(select(TopicSuggestion).where(
                TopicSuggestion.service_id == _id("web-falls")))
        token = run.csrf_token
        confirmed = client.post(run_url + "/suggestions", {
            "csrf_token": token, "suggestions-chosen": [str(suggestion.id)],
            "suggestions-action": "confirm"})
        assert "confirmed=1" in confirmed.location
        published = client.post(run_url + "/publish", {
            "csrf_token": token, "drafts-chosen": [_id("web-falls"), _id("web-away")],
            "drafts-action": "publish"})
        assert "published=1" in published.location and "refused=1" in published.location
        with app.app_context():
            falls, away = (db.session.get(Service, _id(k)) for k in ("web-falls", "web-away"))
            assert "falls-prevention" in falls.term_ids
            assert falls.publication_status == "published"
            assert away.publication_status == "draft", "never published outside the area"

        resident = CheckedClient(app.test_client())
        topic = resident.get("/local-information/topic/falls-prevention?where=ML6+6AW")
        assert "Strength and Balance Classes" in topic.text
        assert "Glasgow Walking Group" not in topic.text
        details = resident.get(f"/local-information/service/{_id('web-falls')}")
        assert "01632 960123" in details.text
        history = client.get(f"/staff/directory/{_id('web-falls')}/history")
        assert "Import run" in history.text
    finally:
        _forget(app, ["web-falls", "web-away"])


def test_a_file_that_cannot_be_read_says_why_and_changes_nothing(app):
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["editor"]))
    page = client.get("/staff/directory/imports/new")
    response = client.post("/staff/directory/imports/new", {
        "csrf_token": page.csrf_token, "source": "oruk",
        "file": (io.BytesIO(b"not json {"), "feed.json")}, expect=200,
        content_type="multipart/form-data")
    assert "is not JSON" in response.text and "Nothing was changed" in response.text
    missing = client.post("/staff/directory/imports/new", {
        "csrf_token": page.csrf_token, "source": "aliss"}, expect=200)
    assert "Choose the file to take in" in missing.text


def test_the_seed_holds_the_registers_adult_services_with_the_attribution(app):
    client = CheckedClient(app.test_client())
    sign_in(client, app, make_staff(app, ["editor"]))
    runs = client.get("/staff/directory/imports/")
    assert "Care Inspectorate register" in runs.text
    with app.app_context():
        links = db.session.scalars(select(ServiceSource).where(
            ServiceSource.source == "care-inspectorate")).all()
        assert len(links) > 100
        assert all("Open Government Licence" in link.attribution for link in links)
        alarm = next(db.session.get(Service, link.service_id) for link in links
                     if db.session.get(Service, link.service_id).name == "Community Alarm Service")
        assert alarm.publication_status == "published"
        assert [p.number for p in alarm.phones] == ["01236 622400"]
        alarm_id = alarm.id
    page = CheckedClient(app.test_client()).get(f"/local-information/service/{alarm_id}")
    assert "01236 622400" in page.text
    assert "Source: Care Inspectorate register." in page.text
    assert "Open Government Licence v3.0" in page.text
