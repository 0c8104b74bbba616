"""Directory editors: the list and its filters, the entry form and every way to fill it in
wrongly, preview, publish, archive, review, change history, problem reports and reminders."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from mle.database import db
from mle.models import AuditEvent, OutboxMessage, ProblemReport, Service, ServiceChange
from mle.security.encryption import decrypt_json
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

SEED_IDS: set[str] = set()

GOOD = {
    "organization": "Example Test Group",
    "name": "Example befriending service",
    "description": "<p>Weekly visits for people who feel <strong>alone</strong>.</p>"
                   "<script>alert(1)</script><p onclick=\"x()\">Free.</p>",
    "topics": ["carer-support"],
    "coverage": "locality",
    "localities": ["coatbridge"],
    "minimum_age": "18",
    "maximum_age": "",
    "eligibility": ["eligibility-carers"],
    "phone_1": "01236 000 000",
    "phone_1_label": "Office",
    "email": "Office@Example.org",
    "url": "https://www.example.org/befriending",
    "MO_opens": "9:00", "MO_closes": "17:00",
    "TU_opens": "09:00", "TU_closes": "17:00",
    "SA_opens": "10.00", "SA_closes": "12:30",
    "hours_note": "Closed on public holidays.",
    "fees": "A small charge for trips.",
    "cost_amount": "5.50",
    "languages": "English, Polish",
    "location_name": "Example Hall",
    "address_1": "1 Example Street",
    "town": "Coatbridge",
    "postcode": "ml5 2qt",
    "accessibility": ["step-free", "hearing-loop"],
}


@pytest.fixture(autouse=True)
def _remove_test_entries(app):
    """Entries made by a test are deleted after it, so the seed directory stays as it was."""
    with app.app_context():
        if not SEED_IDS:
            SEED_IDS.update(db.session.scalars(select(Service.id)))
    yield
    with app.app_context():
        for service in db.session.scalars(select(Service).where(Service.id.not_in(SEED_IDS))):
            db.session.delete(service)
        db.session.commit()


@pytest.fixture
def editor(app):
    client = CheckedClient(app.test_client())
    user_id = make_staff(app, ["editor"])
    sign_in(client, app, user_id)
    client.user_id = user_id
    return client


def create(editor, **changes) -> str:
    data = {**GOOD, **changes}
    response = editor.submit("/staff/directory/new", data)
    return response.location.split("/staff/directory/")[1].split("?")[0]


def test_an_editor_creates_an_entry_with_every_field(app, editor):
    service_id = create(editor)
    page = editor.get(f"/staff/directory/{service_id}?saved=1")
    assert page.h1 == "Example befriending service"
    assert "Your changes are saved" in page.text and "Draft" in page.text
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert service.publication_status == "draft"
        assert service.organization.name == "Example Test Group"
        assert "<script>" not in service.description and "onclick" not in service.description
        assert "<strong>alone</strong>" in service.description
        assert service.localities == ["coatbridge"]
        assert set(service.term_ids) == {"carer-support", "eligibility-carers"}
        assert (service.minimum_age, service.maximum_age) == (18, None)
        assert service.email == "office@example.org"
        assert [p.number for p in service.phones] == ["01236 000 000"]
        rows = [(s.byday, s.opens_at, s.closes_at) for s in service.schedules if s.byday]
        assert rows == [("MO,TU", "09:00:00", "17:00:00"), ("SA", "10:00:00", "12:30:00")]
        assert any(s.description == "Closed on public holidays." for s in service.schedules)
        assert service.cost_options[0].amount == 5.5
        assert [x.name for x in service.languages] == ["English", "Polish"]
        location = service.service_at_locations[0].location
        assert location.addresses[0].postal_code == "ML5 2QT"
        assert location.latitude is not None and location.longitude is not None
        assert {a.accessibility for a in location.accessibility} == {"step-free",
                                                                     "hearing-loop"}
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        assert "directory.service_created" in actions


def test_accessibility_is_stored_in_english_and_shown_in_the_readers_language(app, editor):
    editor.get("/staff/directory/?lang=pl")  # an editor working in Polish
    service_id = create(editor)
    with app.app_context():
        location = db.session.get(Service, service_id).service_at_locations[0].location
        assert sorted(a.description for a in location.accessibility) == [
            "Hearing loop", "Step-free access"]
    preview = editor.get(f"/staff/directory/{service_id}/preview?lang=ur")
    assert "سیڑھیوں کے بغیر رسائی" in preview.text and "Step-free access" not in preview.text
    editor.get(f"/staff/directory/{service_id}/preview?lang=en")
    assert "Step-free access" in editor.get(f"/staff/directory/{service_id}/preview").text


def test_the_form_shows_an_entry_as_saved(editor):
    service_id = create(editor)
    page = editor.get(f"/staff/directory/{service_id}/edit")
    field = page.soup.find
    assert field("input", id="name")["value"] == "Example befriending service"
    assert field("input", id="MO_opens")["value"] == "09:00"
    assert field("input", id="SA_closes")["value"] == "12:30"
    assert field("input", id="postcode")["value"] == "ML5 2QT"
    assert field("input", attrs={"name": "localities", "value": "coatbridge"}).has_attr("checked")
    assert field("input", attrs={"name": "accessibility", "value": "hearing-loop"}) \
        .has_attr("checked")


BAD_INPUT = [
    ({"organization": ""}, "Enter the name of the organisation"),
    ({"name": ""}, "Enter the name of the service"),
    ({"name": "   "}, "Enter the name of the service"),
    ({"organization": " "}, "Enter the name of the organisation"),
    ({"description": "<script>alert(1)</script><img src=x>"},
     "Enter what the service does in words"),
    ({"name": "x" * 201}, "Service name must be 200 characters or fewer"),
    ({"description": ""}, "Enter what the service does"),
    ({"description": "x" * 5001}, "What the service does must be 5,000 characters or fewer"),
    ({"topics": []}, "Select at least one topic"),
    ({"topics": ["not-a-topic"]}, "Select topics from the list"),
    ({"coverage": ""}, "Select where the service is available"),
    ({"coverage": "moon"}, "Select where the service is available"),
    ({"localities": []}, "Select the local areas the service covers"),
    ({"minimum_age": "eighteen"}, "Youngest age must be a whole number from 0 to 120"),
    ({"maximum_age": "200"}, "Oldest age must be a whole number from 0 to 120"),
    ({"minimum_age": "65", "maximum_age": "18"},
     "Oldest age must be the same as or more than the youngest age"),
    ({"eligibility": ["made-up"]}, "Select conditions from the list"),
    ({"phone_1": "call us"}, "Enter a phone number, like 01698 123 456"),
    ({"phone_1": "12"}, "Enter a phone number, like 01698 123 456"),
    ({"phone_1": "", "phone_1_label": "Office"},
     "Enter the phone number this description is for"),
    ({"email": "not an email"}, "Enter an email address in the correct format"),
    ({"url": "www.example.org"}, "Enter a website address in the correct format"),
    ({"url": "javascript:alert(1)"}, "Enter a website address in the correct format"),
    ({"MO_closes": ""}, "Enter both the opening and closing time for Monday, or neither"),
    ({"TU_opens": "9am"}, "Enter the opening time for Tuesday as a 24-hour time"),
    ({"SA_closes": "25:00"}, "Enter the closing time for Saturday as a 24-hour time"),
    ({"MO_opens": "17:00", "MO_closes": "09:00"},
     "The closing time for Monday must be after the opening time"),
    ({"hours_note": "x" * 501}, "Anything else about opening hours must be 500 characters"),
    ({"cost_amount": "lots"}, "Enter the charge in pounds, like 12.50"),
    ({"cost_amount": "-1"}, "Enter the charge in pounds, like 12.50"),
    ({"cost_amount": "1.005"}, "Enter the charge in pounds, like 12.50"),
    ({"languages": ",".join(["x" * 101])}, "Enter at most 20 languages"),
    ({"address_1": ""}, "Enter the street address"),
    ({"town": ""}, "Enter the town"),
    ({"postcode": ""}, "Enter the postcode"),
    ({"postcode": "not a postcode"}, "Enter a real postcode, like ML1 1AB"),
    ({"location_name": "", "address_1": "", "town": "", "postcode": ""},
     "Enter the address of the place whose accessibility you described"),
    ({"accessibility": ["helipad"]}, "Select accessibility features from the list"),
    ({"localities": ["atlantis"]}, "Select local areas from the list"),
]


@pytest.mark.parametrize(("changes", "message"), BAD_INPUT)
def test_bad_input_is_refused_with_a_clear_message(app, editor, changes, message):
    before = _count(app)
    page = editor.submit("/staff/directory/new", {**GOOD, **changes}, expect=200)
    assert page.soup.title.get_text().startswith("Error:")
    assert any(message in error for error in page.error_summary()), page.error_summary()
    for link in page.soup.select(".govuk-error-summary__list a"):
        assert page.soup.find(id=link["href"].removeprefix("#")), link["href"]
    assert _count(app) == before


def _count(app) -> int:
    with app.app_context():
        return len(db.session.scalars(select(Service.id)).all())


def test_a_bad_edit_changes_nothing(app, editor):
    service_id = create(editor)
    page = editor.submit(f"/staff/directory/{service_id}/edit",
                         {**GOOD, "name": "", "email": "nope"}, expect=200)
    assert page.error_summary() == ["Enter the name of the service",
                                    "Enter an email address in the correct format, like "
                                    "name@example.org"]
    with app.app_context():
        assert db.session.get(Service, service_id).name == "Example befriending service"


def test_a_form_without_its_csrf_token_is_refused(app, editor):
    response = editor.client.post("/staff/directory/new", data=GOOD)
    assert response.status_code == 400
    assert _count(app) == len(SEED_IDS)


def test_edits_are_kept_field_by_field_in_the_history(app, editor):
    service_id = create(editor)
    with app.app_context():
        at_creation = db.session.scalars(select(ServiceChange.id)).all()
    editor.submit(f"/staff/directory/{service_id}/edit",
                  {**GOOD, "name": "Example befriending", "phone_1": "01236 111 111",
                   "WE_opens": "10:00", "WE_closes": "14:00", "needs_editor": "y"})
    with app.app_context():
        changes = db.session.scalars(select(ServiceChange).where(
            ServiceChange.service_id == service_id,
            ServiceChange.id.not_in(at_creation))).all()
        by_field = {c.field: c for c in changes}
        assert set(by_field) == {"name", "phones", "opening_hours", "needs_editor"}
        assert db.session.get(Service, service_id).needs_editor
        assert db.session.get(Service, service_id).last_modified is not None
        assert by_field["name"].before == "Example befriending service"
        assert by_field["name"].after == "Example befriending"
        assert by_field["name"].changed_by_id == editor.user_id
        event = db.session.scalars(select(AuditEvent).where(
            AuditEvent.action == "directory.service_changed")).one()
        assert sorted(event.details["fields"]) == ["name", "needs_editor", "opening_hours",
                                                   "phones"]
    page = editor.get(f"/staff/directory/{service_id}/history")
    assert "Example befriending service" in page.text
    assert "01236 111 111 (Office)" in page.text
    assert "Pat Example" in page.text


def test_preview_publish_review_and_archive(app, editor, client):
    service_id = create(editor)
    client.get(f"/local-information/service/{service_id}", expect=404)
    preview = editor.get(f"/staff/directory/{service_id}/preview")
    assert "Preview: this is the page residents see" in preview.text
    assert "alone" in preview.text and "<script>" not in preview.response.get_data(as_text=True)

    entry = editor.get(f"/staff/directory/{service_id}")
    editor.post(f"/staff/directory/{service_id}/publish", {"csrf_token": entry.csrf_token})
    public = client.get(f"/local-information/service/{service_id}")
    assert public.h1 == "Example befriending service"
    assert "Monday, Tuesday: 09:00 to 17:00" in public.text
    assert "A small charge for trips. £5.50" in public.text
    assert "Weekly visits for people who feel" in public.text
    assert public.soup.select_one(".mle-description strong").get_text() == "alone"
    found = client.get("/local-information/search?q=befriending&where=coatbridge")
    assert "Example befriending service" in found.text

    editor.post(f"/staff/directory/{service_id}/review", {"csrf_token": entry.csrf_token})
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert service.last_reviewed == date.today()
        assert service.reviewed_by_id == editor.user_id
        assert service.review_due > date.today() + timedelta(days=360)
    assert "by Pat Example" in editor.get(f"/staff/directory/{service_id}").text

    editor.post(f"/staff/directory/{service_id}/archive", {"csrf_token": entry.csrf_token})
    client.get(f"/local-information/service/{service_id}", expect=404)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.target_id == service_id).order_by(AuditEvent.id))]
        assert actions == ["directory.service_created", "directory.service_published",
                           "directory.service_reviewed", "directory.service_archived"]
        changes = db.session.scalars(select(ServiceChange).where(
            ServiceChange.service_id == service_id, ServiceChange.field.in_(
                ["publication_status", "last_reviewed"])).order_by(ServiceChange.id)).all()
        assert [(c.field, c.before, c.after) for c in changes] == [
            ("publication_status", None, "draft"), ("publication_status", "draft", "published"),
            ("last_reviewed", None, date.today().isoformat()),
            ("publication_status", "published", "archived")]


def test_workflow_buttons_need_the_csrf_token(app, editor):
    service_id = create(editor)
    response = editor.client.post(f"/staff/directory/{service_id}/publish")
    assert response.status_code == 400
    with app.app_context():
        assert db.session.get(Service, service_id).publication_status == "draft"


def test_an_unknown_entry_is_not_found(editor):
    assert editor.get("/staff/directory/no-such-entry", expect=404).h1 == "Page not found"
    assert editor.get("/staff/directory/no-such-entry/edit", expect=404).h1 == "Page not found"


@pytest.mark.parametrize(("query", "present", "absent"), [
    ("?status=draft", ["Example befriending service"], ["Carers UK Helpline"]),
    ("?status=published&q=carers+uk", ["Carers UK Helpline"], ["Example befriending"]),
    ("?locality=coatbridge&topic=carer-support", ["Example befriending service"],
     ["Carers UK Helpline"]),
    ("?q=befriending", ["Example befriending service"], ["Carers UK Helpline"]),
    ("?review=due&q=carers+uk+helpline", ["Carers UK Helpline"], []),
    ("?review=problems", ["Breathing Space"], ["Example befriending", "Carers UK Helpline"]),
])
def test_the_list_filters(app, editor, query, present, absent):
    create(editor)
    with app.app_context():
        db.session.add(ProblemReport(service_id="breathing-space", kind="other"))
        db.session.commit()
    page = editor.get(f"/staff/directory/{query}")
    for name in present:
        assert name in page.text, query
    for name in absent:
        assert name not in page.text, query


def test_bad_filters_are_explained_and_the_list_still_shows(editor):
    unfiltered = [row.get_text() for row in editor.get("/staff/directory/").soup.select(
        "tbody tr")]
    page = editor.get("/staff/directory/?status=lost&page=x")
    assert page.error_summary() == ["Select an option from the list"]
    assert [row.get_text() for row in page.soup.select("tbody tr")] == unfiltered
    page = editor.get("/staff/directory/?q=" + "x" * 101)
    assert page.error_summary() == ["Enter 100 characters or fewer"]
    assert [row.get_text() for row in page.soup.select("tbody tr")] == unfiltered


def test_the_list_is_paged(editor):
    first = editor.get("/staff/directory/")
    assert first.soup.select(".govuk-pagination")
    rows = first.soup.select("tbody tr")
    assert len(rows) == 25
    second = editor.get("/staff/directory/?page=2")
    assert second.soup.select("tbody tr")[0].get_text() != rows[0].get_text()
    assert editor.get("/staff/directory/?page=999").soup.select("tbody tr")


def test_a_report_leads_to_the_entry_and_is_resolved_or_dismissed(app, editor):
    with app.app_context():
        first = ProblemReport(service_id="breathing-space", kind="wrong_details")
        second = ProblemReport(service_id="breathing-space", kind="other")
        db.session.add_all([first, second])
        db.session.commit()
        first_id, second_id = first.id, second.id
    queue = editor.get("/staff/directory/problems")
    assert queue.soup.find("a", href="/staff/directory/breathing-space")
    entry = editor.get("/staff/directory/breathing-space")
    assert "Open problem reports 2" in entry.text
    response = editor.post(f"/staff/directory/problems/{first_id}/resolve",
                           {"csrf_token": entry.csrf_token, "back": "entry"})
    assert response.location == "/staff/directory/breathing-space"
    response = editor.post(f"/staff/directory/problems/{second_id}/dismiss",
                           {"csrf_token": entry.csrf_token, "back": "https://evil.example"})
    assert response.location == "/staff/directory/problems"
    editor.post(f"/staff/directory/problems/{second_id}/dismiss",
                {"csrf_token": entry.csrf_token}, expect=404)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
            AuditEvent.action.like("problem_report.%")).order_by(AuditEvent.id))]
        assert actions == ["problem_report.resolved", "problem_report.dismissed"]



def test_review_reminders_email_every_editor_through_the_outbox(app, mail_server):
    from tests.staff import email_of

    other_editor = make_staff(app, ["editor", "assessor"])
    assessor = make_staff(app, ["assessor"])
    inactive = make_staff(app, ["editor"], active=False)
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from mle.cli import mle_cli

    with app.app_context():
        reviewed = db.session.get(Service, "carers-uk-helpline")
        kept = reviewed.last_reviewed, reviewed.review_due
        reviewed.last_reviewed, reviewed.review_due = date.today(), date.today() + \
            timedelta(days=300)
        db.session.commit()
    try:
        result = CliRunner().invoke(mle_cli, ["review-reminders"],
                                    obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code == 0, result.output
        assert "reminders queued: " in result.output
        with app.app_context():
            messages = db.session.scalars(select(OutboxMessage)).all()
            recipients = sorted(decrypt_json(m.to) for m in messages)
            assert email_of(app, other_editor) in recipients
            assert email_of(app, assessor) not in recipients
            assert email_of(app, inactive) not in recipients
            assert len(recipients) == len(set(recipients))
            body = decrypt_json(messages[0].body)
            assert "Breathing Space" in body and "never checked" in body
            assert "Carers UK Helpline" not in body
            assert "/staff/directory/breathing-space" in body
            from mle.mail.outbox import send_due
            from tests.mail import body_of

            assert send_due().sent == len(recipients)
        delivered = {m["To"]: m for m in mail_server.messages}
        assert "directory entries to check" in delivered[email_of(app, other_editor)]["Subject"]
        assert "Breathing Space" in body_of(delivered[email_of(app, other_editor)])
    finally:
        with app.app_context():
            reviewed = db.session.get(Service, "carers-uk-helpline")
            reviewed.last_reviewed, reviewed.review_due = kept
            db.session.commit()


def test_the_review_period_is_configurable(app):
    from mle.directory.reviews import entries_due_for_review

    with app.app_context():
        service = db.session.get(Service, "breathing-space")
        kept = service.last_reviewed, service.review_due
        service.last_reviewed, service.review_due = date.today() - timedelta(days=100), None
        db.session.flush()
        try:
            app.config["MLE_REVIEW_PERIOD_MONTHS"] = 12
            assert service not in entries_due_for_review()
            app.config["MLE_REVIEW_PERIOD_MONTHS"] = 3
            assert service in entries_due_for_review()
        finally:
            app.config["MLE_REVIEW_PERIOD_MONTHS"] = 12
            service.last_reviewed, service.review_due = kept
            db.session.commit()


def _form_values(page) -> dict:
    """What a browser would send back from the entry form, untouched."""
    data: dict = {}
    for field in page.soup.select("main form input, main form textarea"):
        name = field.get("name")
        if not name or field.get("type") == "submit":
            continue
        if field.get("type") in ("checkbox", "radio"):
            if field.has_attr("checked"):
                data.setdefault(name, []).append(field.get("value", "y"))
        else:
            data[name] = field.get_text() if field.name == "textarea" else field.get("value", "")
    return data


def test_every_seed_entry_saved_unchanged_records_no_change(app, editor):
    """The form shows each real entry exactly as stored: saving it untouched changes nothing,
    so opening hours, phones and areas from the seed survive an editor's visit."""
    import yaml

    from mle.directory.seed import load_seed_services
    from tests.conftest import ROOT

    seed = ROOT / "directory" / "seed" / "services.yaml"
    seed_ids = sorted(x["id"] for x in yaml.safe_load(seed.read_text("utf-8"))["services"])
    try:
        for service_id in seed_ids:
            page = editor.get(f"/staff/directory/{service_id}/edit")
            editor.post(f"/staff/directory/{service_id}/edit", _form_values(page))
        with app.app_context():
            changes = db.session.scalars(select(ServiceChange)).all()
            assert [(c.service_id, c.field, c.before, c.after) for c in changes] == []
            assert db.session.query(AuditEvent).filter(
                AuditEvent.action == "directory.service_changed").count() == len(seed_ids)
    finally:
        with app.app_context():
            load_seed_services(seed)


def test_phone_numbers_beyond_the_form_and_other_contacts_are_kept(app, editor):
    from mle.models import Contact, Phone

    service_id = create(editor, phone_1="01236 000 001", phone_2="01236 000 002",
                        phone_3="01236 000 003")
    with app.app_context():
        service = db.session.get(Service, service_id)
        assert [p.number for p in service.phones] == ["01236 000 001", "01236 000 002",
                                                      "01236 000 003"]
        service.contacts.append(Contact(id=f"zz-{service_id}", name="Duty team", phones=[
            Phone(id=f"zz-{service_id}-p", number="01236 000 004")]))
        db.session.commit()
    page = editor.get(f"/staff/directory/{service_id}/edit")
    assert "This entry has 1 more phone number" in page.text
    editor.submit(f"/staff/directory/{service_id}/edit",
                  {**GOOD, "phone_1": "01236 000 009", "phone_1_label": "",
                   "phone_2": "", "phone_3": "01236 000 003", "phone_3_label": "Text"})
    page = editor.get(f"/staff/directory/{service_id}/edit")
    editor.submit(f"/staff/directory/{service_id}/edit",
                  {**_form_values(page), "phone_3": "01236 000 005"})
    with app.app_context():
        service = db.session.get(Service, service_id)
        # The third slot now shows the duty team's number: it was edited in place.
        assert [(p.number, p.description) for p in service.phones] == [
            ("01236 000 009", None), ("01236 000 003", "Text"), ("01236 000 005", None)]
        assert [c.name for c in service.contacts] == [None, "Duty team"]


def test_what_an_imported_entry_says_beyond_the_form_is_kept(app, editor):
    from mle.models import Accessibility, Language

    service_id = create(editor)
    with app.app_context():
        service = db.session.get(Service, service_id)
        location = service.service_at_locations[0].location
        location.accessibility.append(Accessibility(id=f"zz-{service_id}",
                                                    description="Lift to every floor"))
        next(x for x in service.languages if x.name == "Polish").code = "pl"
        db.session.commit()
    page = editor.get(f"/staff/directory/{service_id}/edit")
    editor.submit(f"/staff/directory/{service_id}/edit",
                  {**_form_values(page), "accessibility": ["bsl"],
                   "languages": "Polish, Urdu"})
    with app.app_context():
        service = db.session.get(Service, service_id)
        location = service.service_at_locations[0].location
        assert sorted(a.description for a in location.accessibility) == [
            "British Sign Language on request", "Lift to every floor"]
        assert sorted((x.name, x.code or "") for x in service.languages) == [
            ("Polish", "pl"), ("Urdu", "")]
        assert db.session.query(Language).filter(Language.service_id == service_id).count() \
            == 2


def test_opening_hours_the_weekday_fields_cannot_show_become_words_in_the_note(app, editor):
    from mle.models import Schedule

    service_id = create(editor)
    with app.app_context():
        service = db.session.get(Service, service_id)
        service.schedules.append(Schedule(id=f"zz-{service_id}", freq="MONTHLY",
                                          bymonthday="1", opens_at="10:00:00",
                                          closes_at="12:00:00"))
        db.session.commit()
    page = editor.get(f"/staff/directory/{service_id}/edit")
    assert page.soup.find("textarea", id="hours_note").get_text() == (
        "Closed on public holidays.\nDay 1 of the month: 10:00 to 12:00")
    assert page.soup.find("input", id="MO_opens")["value"] == "09:00"


def test_the_match_keys_follow_the_editors_workflow(app, editor):
    """Matching reads the match keys: they change with every save, publish, review and
    archive, in the same transaction."""
    from mle.models import MatchKey

    def keys(service_id):
        with app.app_context():
            return {tuple(row) for row in db.session.execute(select(
                MatchKey.need_term_id, MatchKey.coverage, MatchKey.locality,
                MatchKey.minimum_age, MatchKey.review_due).where(
                    MatchKey.service_id == service_id))}

    service_id = create(editor)
    assert keys(service_id) == set()  # a draft
    entry = editor.get(f"/staff/directory/{service_id}")
    editor.post(f"/staff/directory/{service_id}/publish", {"csrf_token": entry.csrf_token})
    assert keys(service_id) == {("carer-support", "locality", "coatbridge", 18, None),
                                ("eligibility-carers", "locality", "coatbridge", 18, None)}
    editor.submit(f"/staff/directory/{service_id}/edit",
                  {**GOOD, "topics": ["dementia-support"], "eligibility": [], "coverage": "area",
                   "localities": [], "minimum_age": "65"})
    assert keys(service_id) == {("dementia-support", "area", "", 65, None)}
    editor.post(f"/staff/directory/{service_id}/review", {"csrf_token": entry.csrf_token})
    due = keys(service_id).pop()[4]
    assert due > date.today() + timedelta(days=360)
    editor.post(f"/staff/directory/{service_id}/archive", {"csrf_token": entry.csrf_token})
    assert keys(service_id) == set()
