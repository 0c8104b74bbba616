"""Browse services by topic, search by words and place, and read one service's page."""

from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import gettext as _

from mle.directory.browse import (
    published_service,
    search_services,
    services_for_topic,
    topic_counts,
)
from mle.directory.geography import find_place
from mle.directory.postcodes import InvalidPostcode, normalise_postcode
from mle.directory.problems import count_view, report_problem
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY
from mle.extensions import limiter
from mle.models import Service
from mle.security.roles import public_access
from mle.site import site
from mle.web.directory import directory
from mle.web.directory.forms import ProblemForm


def _place(where: str) -> tuple[str | None, bool, str | None, tuple[float, float] | None]:
    """(locality id, in the area, problem, postcode centroid) from a postcode or a locality
    id. The postcode is used for this one request and never kept."""
    where = (where or "").strip()
    if not where:
        return None, True, None, None
    if where in site().area.localities:
        return where, True, None, None
    try:
        postcode = normalise_postcode(where)
    except InvalidPostcode:
        return None, True, _("Enter a postcode, like ML1 1AB, or choose a local area"), None
    place = find_place(postcode)
    if not place.in_area:
        return None, False, _("That postcode is outside %(area)s, so we show services "
                              "available across Scotland.", area=site().area.partnership), None
    return place.locality, True, None, place.centroid


@directory.get("/")
@public_access
def index():
    needs = site().area.needs
    counts = topic_counts()
    topics = [(need, counts.get(need.id, 0)) for need in needs.values() if counts.get(need.id)]
    return render_template("directory/index.html", topics=topics)


@directory.get("/topic/<need_id>")
@public_access
def topic(need_id: str):
    need = site().area.needs.get(need_id) or abort(404)
    locality, in_area, problem, near = _place(request.args.get("where", "")[:20])
    matches = services_for_topic(need.id, locality, in_area, near)
    count_view("topic", need.id)
    return render_template("directory/topic.html", need=need, matches=matches,
                           locality=locality, problem=problem,
                           where=request.args.get("where", ""))


@directory.get("/search")
@public_access
def search():
    words = (request.args.get("q") or "").strip()[:100]
    locality, in_area, problem, _near = _place(request.args.get("where", "")[:20])
    results = search_services(words, locality, in_area) if words else []
    return render_template("directory/search.html", words=words, results=results,
                           locality=locality, problem=problem,
                           where=request.args.get("where", "")[:20],
                           missing_words=not words and "q" in request.args)


def _published(service_id: str) -> Service:
    return published_service(service_id) or abort(404)


@directory.get("/service/<service_id>")
@public_access
def service(service_id: str):
    found = _published(service_id)
    count_view("service", found.id)
    return render_template("directory/service.html", **service_page(found))


def service_page(found: Service) -> dict:
    """What a service's page shows: for residents, and for editors' previews."""
    needs = [site().area.needs[t] for t in found.term_ids if t in site().area.needs]
    criteria = [a.taxonomy_term.name for a in found.attributes
                if a.taxonomy_term.taxonomy_id == ELIGIBILITY_TAXONOMY]
    return {"service": found, "needs": needs, "criteria": criteria}


@directory.route("/service/<service_id>/report", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"])
@public_access
def report(service_id: str):
    found = _published(service_id)
    form = ProblemForm()
    if form.validate_on_submit():
        report_problem(found, form.kind.data, (form.details.data or "").strip())
        return render_template("directory/reported.html", service=found)
    return render_template("directory/report.html", service=found, form=form)
