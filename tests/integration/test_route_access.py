"""Every route declares who may use it, and each role gets exactly that.

A new route without an entry here fails the first test, so access is always a decision."""

from __future__ import annotations

import pytest

from mle.security.roles import PUBLIC
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

ADMIN = frozenset({"administrator"})
ASSESSOR = frozenset({"assessor"})
EDITOR = frozenset({"editor"})
SIGNED_IN = "signed-in"

EXPECTED = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "health.livez": PUBLIC,
    "health.readyz": PUBLIC,
    "public.start": PUBLIC,
    "public.begin": PUBLIC,
    "public.privacy": PUBLIC,
    "public.accessibility": PUBLIC,
    "directory.index": PUBLIC,
    "directory.topic": PUBLIC,
    "directory.search": PUBLIC,
    "directory.service": PUBLIC,
    "directory.report": PUBLIC,
    "editor.problems": EDITOR,
    "editor.resolve_problem": EDITOR,
    "editor.dismiss_problem": EDITOR,
    "editor.entries": EDITOR,
    "editor.new_entry": EDITOR,
    "editor.entry": EDITOR,
    "editor.edit_entry": EDITOR,
    "editor.preview": EDITOR,
    "editor.history": EDITOR,
    "editor.publish": EDITOR,
    "editor.archive": EDITOR,
    "editor.unpublish": EDITOR,
    "editor.review": EDITOR,
    "editor.imports": EDITOR,
    "editor.new_import": EDITOR,
    "editor.import_run": EDITOR,
    "editor.import_suggestions": EDITOR,
    "editor.import_publish": EDITOR,
    "public.session_ended": PUBLIC,
    "public.extend_session": PUBLIC,
    "public.about_you": PUBLIC,
    "public.topics": PUBLIC,
    "public.question": PUBLIC,
    "public.check_answers": PUBLIC,
    "public.result": PUBLIC,
    "public.save": PUBLIC,
    "public.resume_with_code": PUBLIC,
    "public.resume_with_link": PUBLIC,
    "public.save_by_email": PUBLIC,
    "public.confirm_save_by_email": PUBLIC,
    "public.result_print": PUBLIC,
    "public.result_pdf_download": PUBLIC,
    "public.email_result": PUBLIC,
    "public.confirm_email_result": PUBLIC,
    "public.shared_result": PUBLIC,
    "public.ask_for_referral": PUBLIC,
    "public.referral_sent": PUBLIC,
    "public.request_equipment": PUBLIC,
    "staff.sign_in": PUBLIC,
    "staff.sign_in_code": PUBLIC,
    "staff.signed_out": PUBLIC,
    "staff.set_password": PUBLIC,
    "staff.sign_out": SIGNED_IN,
    "staff.home": SIGNED_IN,
    "staff.two_factor": SIGNED_IN,
    "staff.password": SIGNED_IN,
    "admin.users": ADMIN,
    "admin.new_user": ADMIN,
    "admin.edit_user": ADMIN,
    "admin.reset_user": ADMIN,
    "admin.unlock_user": ADMIN,
    "admin.end_user_sessions": ADMIN,
    "admin.teams": ADMIN,
    "admin.new_team": ADMIN,
    "admin.edit_team": ADMIN,
    "admin.audit": ADMIN,
    "queue.requests": ASSESSOR,
    "queue.request_detail": ASSESSOR,
    "queue.change_status": ASSESSOR,
    "queue.add_note": ASSESSOR,
    "queue.reassign": ASSESSOR,
    "assisted.start": ASSESSOR,
    "assisted.add_note": ASSESSOR,
    "reports.dashboard": frozenset({"manager"}),
    "reports.export_csv": frozenset({"manager"}),
    "oruk_api.meta": PUBLIC,
    "oruk_api.openapi": PUBLIC,
    "oruk_api.services": PUBLIC,
    "oruk_api.service": PUBLIC,
    "oruk_api.service_at_locations": PUBLIC,
    "oruk_api.service_at_location": PUBLIC,
    "oruk_api.taxonomies": PUBLIC,
    "oruk_api.taxonomy": PUBLIC,
    "oruk_api.taxonomy_terms": PUBLIC,
    "oruk_api.taxonomy_term": PUBLIC,
    "reports.export_xlsx": frozenset({"manager"}),
    "reports.locality": frozenset({"manager"}),
    "reports.national": frozenset({"manager"}),
}

ROLES = ["assessor", "editor", "manager", "administrator"]


def test_every_route_has_the_expected_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints == set(EXPECTED), (
        f"routes without an expected rule: {sorted(endpoints - set(EXPECTED))}; "
        f"expected but missing: {sorted(set(EXPECTED) - endpoints)}")
    for endpoint, expected in EXPECTED.items():
        if endpoint == "static":
            continue
        view = app.view_functions[endpoint]
        assert getattr(view, "access", None) == expected, endpoint


def staff_get_urls(user_id: int) -> dict[str, str]:
    return {
        "staff.home": "/staff/",
        "staff.two_factor": "/staff/two-factor",
        "staff.password": "/staff/password",
        "admin.users": "/staff/admin/users",
        "admin.new_user": "/staff/admin/users/new",
        "admin.edit_user": f"/staff/admin/users/{user_id}",
        "admin.teams": "/staff/admin/teams",
        "admin.new_team": "/staff/admin/teams/new",
        "admin.edit_team": "/staff/admin/teams/occupational-therapy",
        "admin.audit": "/staff/admin/audit",
        "queue.requests": "/staff/requests/",
        "assisted.start": "/staff/assisted/new",
        "reports.dashboard": "/staff/reports/",
        "editor.problems": "/staff/directory/problems",
        "editor.entries": "/staff/directory/",
        "editor.new_entry": "/staff/directory/new",
        "editor.entry": "/staff/directory/nl-community-alarm",
        "editor.edit_entry": "/staff/directory/nl-community-alarm/edit",
        "editor.preview": "/staff/directory/nl-community-alarm/preview",
        "editor.history": "/staff/directory/nl-community-alarm/history",
        "editor.imports": "/staff/directory/imports/",
        "editor.new_import": "/staff/directory/imports/new",
        "editor.import_run": "/staff/directory/imports/1",  # the seed's register run
        "reports.export_csv": "/staff/reports/export.csv",
        "reports.export_xlsx": "/staff/reports/export.xlsx?view=locality&locality=airdrie",
        "reports.locality": "/staff/reports/locality?locality=wishaw",
        "reports.national": "/staff/reports/national-outcomes",
    }


@pytest.mark.parametrize("role", [None, *ROLES])
def test_access_matrix_for_staff_pages(app, role):
    client = CheckedClient(app.test_client())
    user_id = make_staff(app, [role] if role else ["manager"])
    if role:
        sign_in(client, app, user_id)
    for endpoint, url in staff_get_urls(user_id).items():
        rule = EXPECTED[endpoint]
        response = client.client.get(url)
        if role is None:
            assert response.status_code == 302, url
            assert response.location.startswith("/staff/sign-in"), url
        elif rule == SIGNED_IN or role in rule:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 403, url
            assert b"You do not have access to this page" in response.data


@pytest.mark.parametrize("role", ["assessor", "editor", "manager"])
def test_posts_to_admin_routes_are_refused_without_the_role(app, role):
    client = CheckedClient(app.test_client())
    user_id = make_staff(app, [role])
    sign_in(client, app, user_id)
    token = client.get("/staff/").csrf_token
    for url in ("/staff/admin/users/new", f"/staff/admin/users/{user_id}/reset",
                f"/staff/admin/users/{user_id}/unlock",
                f"/staff/admin/users/{user_id}/end-sessions", "/staff/admin/teams/new"):
        response = client.client.post(url, data={"csrf_token": token, "email": "x@example.org",
                                                 "name": "X", "roles": ["administrator"]})
        assert response.status_code == 403, url


@pytest.mark.parametrize("role", [None, "assessor", "manager", "administrator"])
def test_posts_to_directory_editor_routes_are_refused_without_the_editor_role(app, role):
    """Residents are sent to sign in; staff without the editor role get 403 and no change."""
    from mle.database import db
    from mle.models import AuditEvent, Service

    client = CheckedClient(app.test_client())
    if role:
        sign_in(client, app, make_staff(app, [role]))
    token = client.get("/staff/sign-in" if role is None else "/staff/").csrf_token
    service = "nl-community-alarm"
    with app.app_context():
        events_before = db.session.query(AuditEvent).filter(
            AuditEvent.action.like("directory.%")).count()
    for url in (f"/staff/directory/{service}/publish", f"/staff/directory/{service}/archive",
                f"/staff/directory/{service}/draft", f"/staff/directory/{service}/review",
                f"/staff/directory/{service}/edit", "/staff/directory/new",
                "/staff/directory/problems/1/resolve", "/staff/directory/problems/1/dismiss",
                "/staff/directory/imports/new", "/staff/directory/imports/1/suggestions",
                "/staff/directory/imports/1/publish"):
        response = client.client.post(url, data={"csrf_token": token, "name": "Changed"})
        if role is None:
            assert response.status_code == 302, url
            assert response.location.startswith("/staff/sign-in"), url
        else:
            assert response.status_code == 403, url
    with app.app_context():
        assert db.session.get(Service, service).publication_status == "published"
        assert db.session.get(Service, service).name != "Changed"
        assert db.session.query(AuditEvent).filter(
            AuditEvent.action.like("directory.%")).count() == events_before
