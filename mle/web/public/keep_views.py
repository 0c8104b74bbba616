"""Results people keep: a print layout (with large print), a PDF, the result by email, a short
link with a QR code that opens the result read-only, and save-and-resume by emailed link.

The PDF and email act on the assessment open in this browser, named in the address by a keyed
reference: a page left open on someone else's result (after another was resumed in the same
browser) is refused rather than sending the wrong result.

An email goes only to an address the person has seen on a second page and sent with a button:
the address is held encrypted in the session until then (mle.assessment.pending_address).
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

from mle.assessment import keeping, links, pending_address, store
from mle.assessment.results import build_result_page
from mle.assessment.state import AssessmentState
from mle.extensions import limiter
from mle.i18n.runtime import content_text
from mle.security.encryption import keyed_hash
from mle.security.roles import public_access
from mle.site import site
from mle.web.public import public
from mle.web.public.context import viewer_may_open, with_assessment
from mle.web.public.forms import ConfirmForm, EmailAddressForm, SendEmailForm
from mle.web.public.result_documents import qr_svg, result_pdf

# Sending email costs the partnership and could be turned on someone's inbox: few per sender
# here, and few per recipient across the service (mle.mail.recipient_limit).
EMAIL_LIMIT = "5 per hour;20 per day"
# Entering an address sends nothing, and people correct typing mistakes: a looser limit.
ADDRESS_LIMIT = "20 per hour"


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
    if not viewer_may_open(assessment):
        abort(404)
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
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@public_access
def email_result(ref: str):
    """Step one: the address. Nothing is sent until it is confirmed on the next page."""
    assessment, refusal = _own_result(ref)
    if refusal is not None:
        return refusal
    form = EmailAddressForm()
    if form.validate_on_submit():
        pending_address.hold(assessment, pending_address.RESULT, form.email.data.strip())
        return redirect(url_for("public.confirm_email_result", ref=ref))
    if request.method == "GET":  # coming back to change the address: show the one entered
        form.email.data = pending_address.held(assessment, pending_address.RESULT)
    return render_template("public/email_result.html", form=form, ref=ref)


@public.route("/result/<ref>/email/confirm", methods=["GET", "POST"])
@limiter.limit(EMAIL_LIMIT, methods=["POST"])
@public_access
def confirm_email_result(ref: str):
    """Step two: the address shown, and Send."""
    assessment, refusal = _own_result(ref)
    if refusal is not None:
        return refusal
    address = pending_address.held(assessment, pending_address.RESULT)
    change = url_for("public.email_result", ref=ref)
    if address is None:
        return redirect(change)
    form = SendEmailForm()
    if form.validate_on_submit():
        context = _document_context(assessment, g.state)
        body = render_template("public/result_email.txt", **context)
        try:
            keeping.email_result(
                assessment, address,
                _("Your results from %(service)s", service=_service_name()), body,
                by_staff=assisting_staff())
        except keeping.TooManyEmailsToAddress:
            return _email_refused(url_for("public.result"))
        finally:
            pending_address.drop()
        return redirect(url_for("public.result", emailed=1))
    return render_template("public/confirm_email.html", form=form, address=address,
                           change=change, sending=_("We will send your results to this "
                                                    "address."))


def _email_refused(back: str):
    """The address has had its share of email today. The page says so without a word about
    who asked for the others."""
    return render_template("public/email_refused.html", back=back), 429


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
@limiter.limit(ADDRESS_LIMIT, methods=["POST"])
@with_assessment
@public_access
def save_by_email():
    """Step one: the address. Nothing is sent until it is confirmed on the next page."""
    form = EmailAddressForm()
    if form.validate_on_submit():
        pending_address.hold(g.assessment, pending_address.RESUME_LINK, form.email.data.strip())
        return redirect(url_for("public.confirm_save_by_email"))
    if request.method == "GET":
        form.email.data = pending_address.held(g.assessment, pending_address.RESUME_LINK)
    return render_template("public/save_email.html", form=form,
                           sent=request.args.get("sent") == "1",
                           assessment=g.assessment)


@public.route("/save/email/confirm", methods=["GET", "POST"])
@limiter.limit(EMAIL_LIMIT, methods=["POST"])
@with_assessment
@public_access
def confirm_save_by_email():
    """Step two: the address shown, and Send."""
    address = pending_address.held(g.assessment, pending_address.RESUME_LINK)
    change = url_for("public.save_by_email")
    if address is None:
        return redirect(change)
    form = SendEmailForm()
    if form.validate_on_submit():
        token = links.new_token()
        link = (current_app.config["MLE_BASE_URL"].rstrip("/")
                + url_for("public.resume_with_link", token=token))
        body = render_template("public/resume_email.txt", link=link,
                               days=current_app.config["MLE_RESUME_DAYS"])
        try:
            keeping.email_resume_link(
                g.assessment, token, address,
                _("Come back to your answers on %(service)s", service=_service_name()), body,
                by_staff=assisting_staff())
        except keeping.TooManyEmailsToAddress:
            return _email_refused(url_for("public.save"))
        finally:
            pending_address.drop()
        return redirect(url_for("public.save_by_email", sent=1))
    return render_template("public/confirm_email.html", form=form, address=address,
                           change=change, sending=_("We will send a link to come back to "
                                                    "your answers to this address."))


@public.route("/resume/<token>", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public_access
def resume_with_link(token: str):
    try:
        assessment = links.find(token, "resume")
    except links.LinkExpired:
        return _refuse("link_expired", 410)
    if assessment is None or not viewer_may_open(assessment):
        abort(404)
    form = ConfirmForm()
    if form.validate_on_submit():
        store.attach(assessment)
        if assessment.completed_at is not None:
            return redirect(url_for("public.result"))
        return redirect(url_for("public.check_answers"))
    return render_template("public/resume_link.html", form=form)
