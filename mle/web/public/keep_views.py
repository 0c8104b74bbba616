"""Results people keep: a print layout (with large print), a PDF, the result by email, a short
link with a QR code that opens the result read-only, and save-and-resume by emailed link.

The PDF and email act on the assessment open in this browser, named in the address by a keyed
reference: a page left open on someone else's result (after another was resumed in the same
browser) is refused rather than sending the wrong result.
"""

from __future__ import annotations

import hmac
from datetime import UTC, datetime

from flask import (
    abort,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from mle.assessment import keeping, links, store
from mle.assessment.results import build_result_page
from mle.assessment.state import AssessmentState
from mle.extensions import limiter
from mle.i18n.runtime import content_text
from mle.security.encryption import keyed_hash
from mle.security.roles import public_access
from mle.site import site
from mle.web.public import public
from mle.web.public.context import with_assessment
from mle.web.public.forms import ConfirmForm, EmailAddressForm
from mle.web.public.result_documents import qr_svg, result_pdf

# Sending email costs the partnership and could be turned on someone's inbox: few per address.
EMAIL_LIMIT = "5 per hour;20 per day"


def result_ref(assessment) -> str:
    """Names an assessment in an address without showing its id."""
    return keyed_hash("result-ref", assessment.id)[:16]


def _large() -> bool:
    return request.args.get("size") == "large"


def _refuse(reason: str, status: int):
    return render_template("public/result_unavailable.html", reason=reason), status


def _own_result(ref: str):
    """The browser's completed assessment named by ref, or a friendly refusal."""
    found = store.current()
    if found is None:
        return None, _refuse("expired", 410)
    assessment, state = found
    if not hmac.compare_digest(ref.encode(), result_ref(assessment).encode()):
        return None, _refuse("foreign", 403)
    if assessment.completed_at is None:
        return None, redirect(url_for("public.check_answers"))
    g.assessment, g.state = assessment, state
    return assessment, None


def assisting_staff() -> bool:
    """An assessor acting for a person: what they do with the result goes in the audit trail."""
    assessment = getattr(g, "assessment", None)
    return bool(assessment is not None and assessment.assisted_by_id
                and current_user.is_authenticated)


def _document_context(assessment, state: AssessmentState) -> dict:
    token = links.result_token(assessment)
    address = links.short_link(token)
    return {"page": build_result_page(site().content, site().area, state), "state": state,
            "short_link": address, "qr": qr_svg(address), "large": _large(),
            "printed_on": datetime.now(UTC).date(), "assessment": assessment}


@public.get("/result/print")
@with_assessment
@public_access
def result_print():
    if g.assessment.completed_at is None:
        return redirect(url_for("public.check_answers"))
    return render_template("public/result_print.html", ref=result_ref(g.assessment),
                           **_document_context(g.assessment, g.state))


@public.get("/result/<ref>/pdf")
@limiter.limit("20 per hour")
@public_access
def result_pdf_download(ref: str):
    assessment, refusal = _own_result(ref)
    if refusal is not None:
        return refusal
    pdf = result_pdf(_document_context(assessment, g.state))
    keeping.result_pdf_taken(assessment, by_staff=assisting_staff())
    response = make_response(pdf)
    response.mimetype = "application/pdf"
    name = "results-large-print.pdf" if _large() else "results.pdf"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response


@public.route("/result/<ref>/email", methods=["GET", "POST"])
@limiter.limit(EMAIL_LIMIT, methods=["POST"])
@public_access
def email_result(ref: str):
    assessment, refusal = _own_result(ref)
    if refusal is not None:
        return refusal
    form = EmailAddressForm()
    if form.validate_on_submit():
        context = _document_context(assessment, g.state)
        body = render_template("public/result_email.txt", **context)
        keeping.email_result(assessment, form.email.data.strip(),
                             _("Your results from %(service)s", service=_service_name()), body,
                             by_staff=assisting_staff())
        return redirect(url_for("public.result", emailed=1))
    return render_template("public/email_result.html", form=form, ref=ref)


def _service_name() -> str:
    return content_text(site().area.service_name)


@public.get("/r/<token>")
@limiter.limit("30 per minute")
@public_access
def shared_result(token: str):
    try:
        assessment = links.find(token, "result")
    except links.LinkExpired:
        return _refuse("link_expired", 410)
    if assessment is None:
        abort(404)
    state = store.state_of(assessment)
    if state is None:
        return _refuse("link_expired", 410)
    page = build_result_page(site().content, site().area, state)
    return render_template("public/result_shared.html", page=page, state=state, token=token,
                           large=_large())


@public.route("/save/email", methods=["GET", "POST"])
@limiter.limit(EMAIL_LIMIT, methods=["POST"])
@with_assessment
@public_access
def save_by_email():
    form = EmailAddressForm()
    if form.validate_on_submit():
        token = links.new_token()
        address = (current_app.config["MLE_BASE_URL"].rstrip("/")
                   + url_for("public.resume_with_link", token=token))
        body = render_template("public/resume_email.txt", link=address,
                               days=current_app.config["MLE_RESUME_DAYS"])
        keeping.email_resume_link(
            g.assessment, token, form.email.data.strip(),
            _("Come back to your answers on %(service)s", service=_service_name()), body,
            by_staff=assisting_staff())
        return redirect(url_for("public.save_by_email", sent=1))
    return render_template("public/save_email.html", form=form,
                           sent=request.args.get("sent") == "1",
                           assessment=g.assessment)


@public.route("/resume/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public_access
def resume_with_link(token: str):
    try:
        assessment = links.find(token, "resume")
    except links.LinkExpired:
        return _refuse("link_expired", 410)
    if assessment is None:
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        store.attach(assessment)
        if assessment.completed_at is not None:
            return redirect(url_for("public.result"))
        return redirect(url_for("public.check_answers"))
    return render_template("public/resume_link.html", form=form)
