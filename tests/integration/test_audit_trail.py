"""The audit trail at /staff/admin/audit: administrators only, newest first, filtered by who,
action and record, 50 to a page by plain links, and reading it is itself recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from mle.database import db
from mle.models import AuditEvent
from tests.staff import make_staff, sign_in

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


def add_events(app, *events: dict) -> None:
    with app.app_context():
        for number, event in enumerate(events):
            db.session.add(AuditEvent(at=START + timedelta(minutes=number), **event))
        db.session.commit()


def rows(page) -> list[list[str]]:
    return [[" ".join(cell.get_text(" ").split()) for cell in row.find_all("td")]
            for row in page.soup.select("tbody tr")]


def viewed(app) -> list[dict]:
    with app.app_context():
        return [event.details for event in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "audit.viewed")
            .order_by(AuditEvent.id))]


def signed_in_administrator(client, app) -> int:
    admin_id = make_staff(app, ["administrator"], name="Ada Admin")
    sign_in(client, app, admin_id)
    with app.app_context():  # signing in is audited; start from a known trail
        db.session.query(AuditEvent).delete()
        db.session.commit()
    return admin_id


def test_administrators_read_the_trail_newest_first(client, app):
    editor_id = make_staff(app, ["editor"], name="Eddie Editor")
    admin_id = signed_in_administrator(client, app)
    add_events(app,
               {"actor_id": None, "action": "sign_in.failed", "details": {"reason": "password"}},
               {"actor_id": editor_id, "action": "directory.service_changed",
                "target_type": "service", "target_id": "nl-community-alarm",
                "details": {"fields": ["name"]}},
               {"actor_id": admin_id, "action": "team.changed", "target_type": "team",
                "target_id": "carers-support", "details": {}})
    page = client.get("/staff/admin/audit")
    assert page.h1 == "Audit trail"
    assert "3 events" in page.text
    assert rows(page) == [
        ["1 Mar 2025 09:02:00", "Ada Admin", "team.changed", "team carers-support", ""],
        ["1 Mar 2025 09:01:00", "Eddie Editor", "directory.service_changed",
         "service nl-community-alarm", "fields: name"],
        ["1 Mar 2025 09:00:00", "Nobody signed in", "sign_in.failed", "", "reason: password"],
    ]
    assert viewed(app) == [{"page": 1, "filters": {}}]
    add_events(app, {"action": "account.changed", "target_type": "staff_user",
                     "target_id": str(editor_id), "details": {"roles": ["editor"], "team": None}})
    changed = rows(client.get("/staff/admin/audit?action=account.changed"))
    assert changed[0][4] == "roles: editor team: None"


def test_the_trail_filters_by_user_action_and_record(client, app):
    editor_id = make_staff(app, ["editor"], name="Eddie Editor")
    admin_id = signed_in_administrator(client, app)
    add_events(app,
               {"actor_id": editor_id, "action": "directory.service_changed",
                "target_type": "service", "target_id": "a", "details": {}},
               {"actor_id": editor_id, "action": "directory.service_reviewed",
                "target_type": "service", "target_id": "b", "details": {}},
               {"actor_id": admin_id, "action": "directory.service_changed",
                "target_type": "service", "target_id": "b", "details": {}})
    page = client.get("/staff/admin/audit")
    options = [o.get_text() for o in page.soup.select("select[name=user] option")]
    assert "Eddie Editor (person" in " ".join(options) and options[0] == "Anyone"
    by_user = client.get(f"/staff/admin/audit?user={editor_id}")
    assert [r[2] for r in rows(by_user)] == ["directory.service_reviewed",
                                             "directory.service_changed"]
    by_action = client.get("/staff/admin/audit?action=directory.service_changed")
    assert [r[3] for r in rows(by_action)] == ["service b", "service a"]
    by_record = client.get("/staff/admin/audit?record_type=service&record_id=b")
    assert [r[1] for r in rows(by_record)] == ["Ada Admin", "Eddie Editor"]
    together = client.get(f"/staff/admin/audit?user={editor_id}&record_type=service"
                          "&record_id=b&action=directory.service_reviewed")
    assert len(rows(together)) == 1
    assert [event["filters"] for event in viewed(app)[1:]] == [
        {"user_id": editor_id},
        {"action": "directory.service_changed"},
        {"record_type": "service", "record_id": "b"},
        {"user_id": editor_id, "action": "directory.service_reviewed",
         "record_type": "service", "record_id": "b"},
    ]


def test_the_trail_is_paged_by_links_that_keep_the_filters(client, app):
    signed_in_administrator(client, app)
    add_events(app, *[{"action": "sign_in.failed", "details": {"n": n}} for n in range(120)])
    first = client.get("/staff/admin/audit?action=sign_in.failed")
    assert "120 events" in first.text
    assert len(rows(first)) == 50 and rows(first)[0][4] == "n: 119"
    next_link = first.soup.select_one(".govuk-pagination__next a")["href"]
    assert "action=sign_in.failed" in next_link and "page=2" in next_link
    last = client.get("/staff/admin/audit?action=sign_in.failed&page=3")
    assert len(rows(last)) == 20 and rows(last)[-1][4] == "n: 0"
    beyond = client.get("/staff/admin/audit?action=sign_in.failed&page=99")
    assert rows(beyond) == rows(last)
    for nonsense in ("0", "-1", "x", "99999999999999999999"):
        assert rows(client.get(f"/staff/admin/audit?action=sign_in.failed&page={nonsense}")) \
            == rows(first)


def test_filters_it_does_not_know_are_explained_not_failed(client, app):
    signed_in_administrator(client, app)
    add_events(app, {"action": "sign_in.failed", "details": {}})
    for query in ("user=abc", "user=999999", "action=no.such", "record_type=nothing",
                  "record_id=" + "x" * 81):
        page = client.get(f"/staff/admin/audit?{query}")
        assert page.error_summary(), query
        assert "sign_in.failed" in page.text, query  # the whole trail, unfiltered


def test_details_are_shown_as_text_never_as_markup(client, app):
    signed_in_administrator(client, app)
    add_events(app, {"action": "directory.service_changed", "target_type": "service",
                     "target_id": "<b>x</b>", "details": {"field": "<script>alert(1)</script>"}})
    page = client.get("/staff/admin/audit")  # the checked client refuses unexpected scripts
    assert "<script>alert(1)</script>" in page.text
    assert page.soup.find("b") is None


def test_only_administrators_may_read_the_trail(client, app):
    sign_in(client, app, make_staff(app, ["assessor", "editor", "manager"]))
    client.get("/staff/admin/audit", expect=403)
    assert viewed(app) == []
