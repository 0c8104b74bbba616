"""A directory editor takes in a feed in the browser, reads the stored run, confirms the topics
it suggested and publishes; a resident's result then lists the service with its phone number.
Every page is scanned with axe-core on the way."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import delete

from mle.database import db
from mle.models import Service, ServiceSource, TopicSuggestion
from tests.e2e.resident import Resident
from tests.e2e.test_directory_editing import editor_signs_in
from tests.integration.test_directory_sync import _id, record

KEYS = ("e2e-steady", "e2e-glasgow")


@pytest.fixture
def feed(tmp_path, app):
    path = tmp_path / "falls-feed.json"
    path.write_text(json.dumps([
        record("e2e-steady", "Steady Together Classes", term="Falls prevention classes",
               phone="01632 960321"),
        record("e2e-glasgow", "Glasgow Steady Group", area="Glasgow City")]))
    yield path
    with app.app_context():
        for key in KEYS:
            db.session.execute(delete(TopicSuggestion).where(
                TopicSuggestion.service_id == _id(key)))
            db.session.execute(delete(ServiceSource).where(ServiceSource.service_id == _id(key)))
            if db.session.get(Service, _id(key)) is not None:
                db.session.delete(db.session.get(Service, _id(key)))
        db.session.commit()


def test_an_editor_imports_confirms_and_publishes_and_a_resident_can_call_the_service(
        app, page, new_page, content, feed):
    editor = editor_signs_in(app, page, content)
    editor.open("/staff/directory/imports/")
    editor.activate(page.get_by_role("link", name="Take in a file"))
    editor.choose("Open Referral UK feed")
    page.get_by_label("The file").set_input_files(str(feed))
    editor.press_continue("Take in the file")
    main = page.locator("main")
    assert page.get_by_role("heading", level=1).inner_text().startswith("Import run")
    assert "Steady Together Classes" in main.inner_text()
    assert "outside this partnership's area" in main.inner_text()

    page.get_by_role("group", name="Steady Together Classes").get_by_label(
        "Falls prevention").check()
    editor.press_continue("Confirm the chosen topics")
    assert "1 suggested topic confirmed." in main.inner_text()
    drafts = page.locator("#drafts ~ form")
    drafts.get_by_label("Steady Together Classes").check()
    drafts.get_by_label("Glasgow Steady Group").check()
    editor.press_continue("Publish the chosen drafts")
    text = main.inner_text()
    assert "1 entry published." in text
    assert "1 entry was not published: say where it is offered first." in text

    resident = Resident(new_page(), content)
    resident.start()
    resident.about_you(postcode="ML6 6AW")
    resident.topics(["Falls and feeling steady"])
    resident.answer_all({"falls": {"falls_count": "none", "unsteady": "yes"}})
    resident.confirm_answers()
    result = resident.page.locator("main").inner_text()
    assert "Steady Together Classes" in result and "01632 960321" in result
    assert "Glasgow Steady Group" not in result
