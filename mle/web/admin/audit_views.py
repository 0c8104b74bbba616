"""The audit trail for administrators: who did what to which record, newest first."""

from __future__ import annotations

from flask import render_template, request
from flask_babel import gettext as _
from wtforms import SelectChoice

from mle.security import audit_trail
from mle.security.audit_trail import AuditFilters
from mle.security.roles import requires_role
from mle.web.admin import admin
from mle.web.admin.audit_forms import AuditFilterForm

FILTER_NAMES = ("user", "action", "record_type", "record_id")


def _filter_form() -> AuditFilterForm:
    form = AuditFilterForm(request.args)
    form.user.choices = [SelectChoice("", _("Anyone")), *[
        SelectChoice(str(user_id), label) for user_id, label in audit_trail.staff_to_filter_by()]]
    form.action.choices = [SelectChoice("", _("Any action")), *[
        SelectChoice(action, action) for action in audit_trail.actions_seen()]]
    form.record_type.choices = [SelectChoice("", _("Any record")), *[
        SelectChoice(kind, kind) for kind in audit_trail.record_types_seen()]]
    return form


def _filters(form: AuditFilterForm) -> AuditFilters:
    if not form.validate():
        return AuditFilters()
    return AuditFilters(user_id=int(form.user.data) if form.user.data else None,
                        action=form.action.data or "",
                        record_type=form.record_type.data or "",
                        record_id=(form.record_id.data or "").strip())


def _page_asked_for() -> int:
    page = request.args.get("page", "1")
    return int(page) if page.isdigit() and 0 < int(page) <= audit_trail.MAX_PAGE else 1


@admin.get("/audit")
@requires_role("administrator")
def audit():
    form = _filter_form()
    filters = _filters(form)
    page = audit_trail.audit_page(filters, _page_asked_for())
    audit_trail.record_viewing(filters, page.page)
    arguments = {name: request.args[name] for name in FILTER_NAMES
                 if request.args.get(name) and not form.errors}
    return render_template("admin/audit.html", filter_form=form, page=page,
                           arguments=arguments)
