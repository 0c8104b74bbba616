"""Ask for a referral from the result page: what happens, who sees it, consent, contact."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, session, url_for
from flask_babel import gettext as _

from mle.assessment.results import build_result_page
from mle.extensions import limiter
from mle.referrals.service import Contact, Request, create_referral, referral_by_reference
from mle.security.roles import public_access
from mle.site import site
from mle.web.public import public
from mle.web.public.context import with_assessment
from mle.web.public.referral_forms import ContactForm, EquipmentRequestForm

SENT = "referrals_sent"


def _section(module_id: str):
    # Requests go to this area's local teams: none for a person placed outside the area.
    if g.assessment.completed_at is None or g.state.about.in_area is False:
        abort(404)
    page = build_result_page(site().content, site().area, g.state)
    section = next((s for s in page.sections if s.module.id == module_id), None)
    if section is None:
        abort(404)
    return section


def _contact(form) -> Contact:
    return Contact(name=form.name.data.strip(), phone=(form.phone.data or "").strip(),
                   email=(form.email.data or "").strip().lower(),
                   address=form.address.data.strip(),
                   best_time=(form.best_time.data or "").strip())


@public.route("/result/<module_id>/ask/<team_id>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@with_assessment
@public_access
def ask_for_referral(module_id: str, team_id: str):
    section = _section(module_id)
    route = section.referral_to(team_id)
    # Only a referral the rules offered, to a team the service can send requests to.
    if route is None or not route.team.takes_requests:
        abort(404)
    form = ContactForm()
    if form.validate_on_submit():
        referral = create_referral(g.assessment, g.state, section.module, section.result,
                                   _contact(form), Request.for_offer(route.offer))
        session[SENT] = [*session.get(SENT, []), referral.reference]
        return redirect(url_for("public.referral_sent", reference=referral.reference))
    return render_template("public/ask_for_referral.html", form=form, section=section,
                           team=route.team)


def _equipment(section, item_id: str):
    suggestion = next((e for e in section.equipment if e.item.id == item_id), None)
    if suggestion is None or suggestion.item.how_to_get != "equipment_service":
        abort(404)
    return suggestion


def _measurements(section, item) -> list[tuple[str, str]]:
    answers = g.state.answers.get(section.module.id, {})
    rows = []
    for name in item.measurements:
        question = section.module.question_for(name, g.state.about.answering_for)
        value = answers.get(name)
        rows.append((question.text, question.label_for(value) if value is not None
                     else _("Not measured")))
    return rows


@public.route("/result/<module_id>/equipment/<item_id>", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@with_assessment
@public_access
def request_equipment(module_id: str, item_id: str):
    section = _section(module_id)
    suggestion = _equipment(section, item_id)
    form = EquipmentRequestForm()
    if not suggestion.item.measurements:
        del form.measurements_right  # nothing to confirm
    if form.validate_on_submit():
        referral = create_referral(
            g.assessment, g.state, section.module, section.result, _contact(form),
            Request.for_equipment(item_id, section.result.referral_rule))
        session[SENT] = [*session.get(SENT, []), referral.reference]
        return redirect(url_for("public.referral_sent", reference=referral.reference))
    return render_template("public/request_equipment.html", form=form, section=section,
                           item=suggestion.item,
                           measurements=_measurements(section, suggestion.item))


@public.get("/result/request/<reference>")
@with_assessment
@public_access
def referral_sent(reference: str):
    # Only the browser that sent it sees the confirmation; references are not secrets, but
    # this page should not confirm that someone else made a request.
    if reference not in session.get(SENT, []):
        abort(404)
    referral = referral_by_reference(reference)
    if referral is None:
        abort(404)
    team = site().area.teams.get(referral.team_id)
    return render_template("public/referral_sent.html", referral=referral, team=team)
