"""Sign in (with lockout, rate limit and an optional second factor), sign out, set a password
from a one-time link, and turn the second factor on or off."""

from __future__ import annotations

import time
from base64 import b64encode

import segno
from flask import redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from mle.accounts import second_factor, service
from mle.accounts.password_change import WrongCurrentPassword, change_password
from mle.accounts.sign_in import (
    CodeResult,
    pending_code_id,
    sign_in_with_code,
    sign_in_with_password,
    user_awaiting_code,
)
from mle.extensions import limiter
from mle.i18n.runtime import N_
from mle.models import StaffUser
from mle.security.roles import public_access, signed_in
from mle.web.staff import staff
from mle.web.staff.forms import (
    ButtonForm,
    ChangePasswordForm,
    CodeForm,
    SetPasswordForm,
    SignInForm,
    TurnOffTwoFactorForm,
)

PENDING = "staff_pending_second_factor"
SIGNED_IN_AT = "staff_signed_in_at"
MAX_SESSION_SECONDS = 12 * 60 * 60
BAD_SIGN_IN = N_("Enter a correct email address and password")  # marked, so it is translated
WRONG_CODE = N_("The code is not right. Enter the code your app shows now")
WRONG_CURRENT_PASSWORD = N_("Your current password is not right")


@staff.before_app_request
def end_long_staff_sessions():
    """Staff sessions end 12 hours after sign-in, however active (idle ones end sooner)."""
    started = session.get(SIGNED_IN_AT)
    if current_user.is_authenticated and (not started or
                                          time.time() - started > MAX_SESSION_SECONDS):
        logout_user()
        session.pop(SIGNED_IN_AT, None)


def _start_staff_session(user: StaffUser):
    """The account is signed in (the service has recorded it): give this browser its session."""
    assessment = session.get("assessment_id")
    session.clear()  # a fresh session: nothing from before sign-in carries over
    if assessment:
        session["assessment_id"] = assessment
    login_user(user)
    session[SIGNED_IN_AT] = time.time()
    session.permanent = True
    return redirect(url_for("staff.home"))


@staff.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public_access
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("staff.home"))
    form = SignInForm()
    if form.validate_on_submit():
        result = sign_in_with_password(form.email.data, form.password.data,
                                       request.remote_addr)
        if result.address_paused:
            # Decided before any account is looked at, so it says nothing about accounts.
            form.email.errors.append(_("There have been too many attempts to sign in from "
                                       "here. Wait a few minutes and try again"))
            return render_template("staff/sign_in.html", form=form), 429
        if result.user is None:
            # The same words for an unknown email, a wrong password and a paused account.
            form.email.errors.append(_(BAD_SIGN_IN))
            return render_template("staff/sign_in.html", form=form), 200
        if result.needs_code:
            session[PENDING] = pending_code_id(result.user)
            return redirect(url_for("staff.sign_in_code"))
        return _start_staff_session(result.user)
    return render_template("staff/sign_in.html", form=form)


@staff.route("/sign-in/code", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@public_access
def sign_in_code():
    user = user_awaiting_code(session.get(PENDING))
    if user is None:
        return redirect(url_for("staff.sign_in"))
    form = CodeForm()
    if form.validate_on_submit():
        outcome = sign_in_with_code(user, form.code.data)
        if outcome is CodeResult.ACCEPTED:
            session.pop(PENDING, None)
            return _start_staff_session(user)
        if outcome is CodeResult.PAUSED:
            form.code.errors.append(_("There have been too many wrong codes. Wait a few "
                                      "minutes and try again"))
            return render_template("staff/sign_in_code.html", form=form), 429
        form.code.errors.append(_(WRONG_CODE))
    return render_template("staff/sign_in_code.html", form=form)


@staff.post("/sign-out")
@signed_in
def sign_out():
    form = ButtonForm()
    if form.validate_on_submit():
        service.sign_out(current_user)  # a copy of this session's cookie stops working too
        logout_user()
        session.clear()
    return redirect(url_for("staff.signed_out"))


@staff.get("/signed-out")
@public_access
def signed_out():
    return render_template("staff/signed_out.html")


@staff.get("/")
@signed_in
def home():
    return render_template("staff/home.html", sign_out_form=ButtonForm())


@staff.route("/set-password/<token>", methods=["GET", "POST"])
@limiter.limit("20 per minute", methods=["POST"])
@public_access
def set_password(token: str):
    if len(token) > 100 or service.link_user(token) is None:
        return render_template("staff/link_expired.html"), 404
    form = SetPasswordForm()
    if form.validate_on_submit():
        service.set_password_with_link(token, form.password.data)
        logout_user()
        return redirect(url_for("staff.sign_in", password_set=1))
    return render_template("staff/set_password.html", form=form)


@staff.route("/two-factor", methods=["GET", "POST"])
@signed_in
def two_factor():
    user = current_user
    if user.totp_secret:
        form = TurnOffTwoFactorForm()
        if form.validate_on_submit():
            if second_factor.disable_totp(user, form.current_password.data):
                return redirect(url_for("staff.home"))
            form.current_password.errors.append(_(WRONG_CURRENT_PASSWORD))
        return render_template("staff/two_factor_on.html", form=form)
    secret = session.get("totp_setup") or second_factor.new_totp_secret()
    session["totp_setup"] = secret
    form = CodeForm()
    if form.validate_on_submit():
        if second_factor.enable_totp(user, secret, form.code.data):
            session.pop("totp_setup", None)
            return redirect(url_for("staff.home"))
        form.code.errors.append(_(WRONG_CODE))
    qr = segno.make(second_factor.totp_uri(user, secret), error="m")
    svg = b64encode(qr.svg_inline(scale=4).encode()).decode()
    return render_template("staff/two_factor_setup.html", form=form, secret=secret,
                           qr=f"data:image/svg+xml;base64,{svg}")


@staff.route("/password", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
@signed_in
def password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            change_password(current_user, form.current_password.data, form.password.data)
        except WrongCurrentPassword:
            form.current_password.errors.append(_(WRONG_CURRENT_PASSWORD))
        else:
            login_user(current_user._get_current_object())  # the new token: this one goes on
            return redirect(url_for("staff.home", password_changed=1))
    return render_template("staff/change_password.html", form=form)


@staff.app_errorhandler(403)
def forbidden(error):
    return render_template("errors/403.html"), 403
