"""About you, topics, one question per page, check your answers, and the result."""

from __future__ import annotations

from flask import abort, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from mle.assessment import journey, links, store
from mle.assessment.results import build_result_page, urgent_so_far
from mle.directory.geography import PlaceFound, find_place
from mle.directory.postcode_districts import PlaceProblem, district_problem
from mle.directory.postcodes import postcode_district
from mle.forms.questions import form_data, form_value, question_form_class
from mle.i18n.runtime import content_text
from mle.reporting.outcomes import outcome_for, record_feedback, record_outcome
from mle.security.roles import public_access
from mle.site import site
from mle.web.public import public
from mle.web.public.context import module_or_404, open_assessment, with_assessment
from mle.web.public.forms import AboutYouForm, ConfirmForm, FeedbackForm, topics_form_class
from mle.web.public.keep_views import result_ref
from mle.web.public.question_params import answer_field, question_params
from mle.web.public.result_documents import qr_svg


def _urgent() -> dict:
    """Urgent help goes at the top of the very next page, not only on the result."""
    notices, contacts = urgent_so_far(site().content, site().area, g.state)
    return {"urgent_notices": notices, "urgent_contacts": contacts}


def place_is_certain(place: PlaceFound) -> bool:
    return place.in_area and not place.approximate


def _after_answer():
    """The next unanswered question on the person's route, or check your answers."""
    content = site().content
    following = journey.next_page(content, g.state)
    if following is None:
        return redirect(url_for("public.check_answers"))
    module_id, question_id = following
    return redirect(url_for("public.question", module_id=module_id, question_id=question_id))


def _postcode_cannot_exist(form: AboutYouForm, postcode: str, place: PlaceFound) -> bool:
    """A postcode outside the area's file that no one can live at ("ML13 1AA") is a typing
    mistake, not a place elsewhere: the person is asked to correct it, nothing is kept."""
    if place.in_area or district_problem(postcode_district(postcode),
                                         site().area.highest_postcode_district) \
            is not PlaceProblem.UNKNOWN_POSTCODE:
        return False
    form.postcode.errors = [*form.postcode.errors, _(
        "There is no postcode %(postcode)s. Check it and correct it, or leave it empty.",
        postcode=postcode)]
    return True


@public.route("/about-you", methods=["GET", "POST"])
@open_assessment
@public_access
def about_you():
    about = g.state.about
    form = AboutYouForm(data={"answering_for": about.answering_for,
                              "age_band": about.age_band})
    if form.validate_on_submit():
        postcode = getattr(form.postcode, "normalised", None)
        place = find_place(postcode) if postcode else None
        if place is not None and _postcode_cannot_exist(form, postcode, place):
            return render_template("public/about_you.html", form=form)
        about.answering_for = form.answering_for.data
        about.age_band = form.age_band.data
        if not postcode and request.form.get("placed"):
            # Told the postcode was not found, the person emptied it: forget that place.
            about.postcode_district = about.locality = about.simd_quintile = None
            about.in_area, about.approximate = None, False
        if place is not None:  # a blank postcode keeps the place found before
            about.postcode_district = postcode_district(postcode)
            about.locality, about.simd_quintile = place.locality, place.simd_quintile
            about.in_area, about.approximate = place.in_area, place.approximate
        store.save(g.assessment, g.state)
        # A place outside the area, or found only by approximation, is said here, before any
        # question: the person confirms it (Continue again) or corrects the postcode.
        if place is not None and not place_is_certain(place) \
                and request.form.get("placed") != postcode:
            return render_template("public/about_you.html", form=form, placed=postcode,
                                   place=place)
        if request.args.get("change") and g.state.modules:
            return _after_answer()
        return redirect(url_for("public.topics"))
    return render_template("public/about_you.html", form=form)


@public.route("/topics", methods=["GET", "POST"])
@open_assessment
@public_access
def topics():
    modules = site().content.modules
    choices = [SelectChoice(m.id, content_text(m.title)) for m in modules.values()]
    form_class = topics_form_class(choices)
    form = form_class(data={"topics": g.state.modules})
    if form.validate_on_submit():
        g.state.modules = [m for m in modules if m in form.topics.data]
        store.save(g.assessment, g.state)
        return _after_answer()
    topic_items = [{"hint": {"text": content_text(m.description)}} for m in modules.values()]
    return render_template("public/topics.html", form=form, topic_items=topic_items)


@public.route("/questions/<module_id>/<question_id>", methods=["GET", "POST"])
@open_assessment
@public_access
def question(module_id: str, question_id: str):
    content = site().content
    module = module_or_404(module_id)
    item = module.question_for(question_id, g.state.about.answering_for)
    if item is None:
        abort(404)
    page = (module_id, question_id)
    pages = list(journey.path(content, g.state))  # routing evaluated once for this request
    if page not in pages:
        # Not a question this person is asked (for example after changing an earlier answer).
        return _after_answer()
    form = question_form_class(item)(
        data={"answer": form_data(item, g.state.answer(module_id, question_id))})
    if form.validate_on_submit():
        g.state.set_answer(module_id, question_id, form_value(item, form))
        store.save(g.assessment, g.state)
        following = journey.next_page(content, g.state)
        if following is None:
            return redirect(url_for("public.check_answers"))
        return redirect(url_for("public.question", module_id=following[0],
                                question_id=following[1]))
    at = pages.index(page)
    previous = pages[at - 1] if at else None
    back = (url_for("public.question", module_id=previous[0], question_id=previous[1])
            if previous else url_for("public.topics"))
    answer = answer_field(item, form, question_params(item, form))
    return render_template("public/question.html", form=form, module=module, question=item,
                           answer=answer, back=back, **_urgent())


@public.route("/check-answers", methods=["GET", "POST"])
@open_assessment
@public_access
def check_answers():
    content = site().content
    if not g.state.modules or g.state.about.age_band is None:
        return redirect(url_for("public.about_you"))
    missing = journey.next_page(content, g.state)
    if missing is not None:
        return redirect(url_for("public.question", module_id=missing[0], question_id=missing[1]))
    form = ConfirmForm()
    if form.validate_on_submit():
        page = build_result_page(content, site().area, g.state)
        record_outcome(g.assessment, g.state, page.result, page.service_ids, content.version,
                       page.unmet_needs)
        return redirect(url_for("public.result"))
    answered = journey.answered_pages(content, g.state)
    return render_template("public/check_answers.html", form=form, answered=answered,
                           content=content, **_urgent())


@public.route("/result", methods=["GET", "POST"])
@with_assessment
@public_access
def result():
    if g.assessment.completed_at is None:
        return redirect(url_for("public.check_answers"))
    record = outcome_for(g.assessment)
    form = FeedbackForm()
    if form.validate_on_submit() and record is not None:
        record_feedback(record, form.helpful.data, list(form.next_steps.data or []))
        return redirect(url_for("public.result", feedback="thanks"))
    given = record is not None and record.feedback_helpful
    # The first view writes the short link and commits, which expires what the session has
    # loaded: make it before the page's services are read, not after (then each would be
    # read again, one by one).
    token = links.result_token(g.assessment)
    address = links.short_link(token)
    page = build_result_page(site().content, site().area, g.state)
    return render_template("public/result.html", page=page, feedback_form=form,
                           feedback_given=given,
                           ref=result_ref(g.assessment), emailed=request.args.get("emailed"),
                           short_link=address, qr=qr_svg(address), assessment=g.assessment)
