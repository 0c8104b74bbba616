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
from mle.directory.gazetteer import MAX_PLACE_CHARS, PlaceAnswer, PlaceProblem, resolve
from mle.directory.problems import count_view, report_problem
from mle.directory.search_terms import MAX_QUERY_CHARS
from mle.directory.taxonomy import ELIGIBILITY_TAXONOMY
from mle.extensions import limiter
from mle.models import Service
from mle.security.roles import public_access
from mle.site import site
from mle.web.directory import directory
from mle.web.directory.forms import ProblemForm


def _place_problem(answer: PlaceAnswer) -> str | None:
    """What to tell the person about the place they gave, and what to do next."""
    area = site().area.partnership
    if answer.problem is PlaceProblem.UNKNOWN_POSTCODE:
        return _("We cannot find the postcode %(postcode)s. Check it and try again, or enter "
                 "your town or village instead, like Airdrie.", postcode=answer.said)
    if answer.problem is PlaceProblem.OUTSIDE_AREA:
        return _("%(postcode)s is outside %(area)s, so we show services available across "
                 "Scotland. To see local services, enter a postcode or town in %(area)s.",
                 postcode=answer.said, area=area)
    if answer.problem is PlaceProblem.NOT_RECOGNISED:
        return _("We do not recognise \u201c%(place)s\u201d as a place in %(area)s. Enter a "
                 "postcode, like ML1 1AB, or a town or village, like Wishaw.",
                 place=answer.said, area=area)
    return None


def _place(where: str) -> tuple[str | None, bool, str | None, tuple[float, float] | None]:
    """(locality id, in the area, problem, centre) from a postcode, a town or a local area.
    What the person typed is used for this one request and never kept."""
    answer = resolve(site().area, where)
    found = answer.place
    return (found.locality if found else None, answer.in_area, _place_problem(answer),
            found.centroid if found else None)


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
    locality, in_area, problem, near = _place(request.args.get("where", "")[:MAX_PLACE_CHARS])
    matches = services_for_topic(need.id, locality, in_area, near)
    count_view("topic", need.id)
    return render_template("directory/topic.html", need=need, matches=matches,
                           locality=locality, problem=problem,
                           where=request.args.get("where", ""))


@directory.get("/search")
@public_access
def search():
    # One character over the limit is kept, so the page can say the search was cut.
    words = (request.args.get("q") or "").strip()[:MAX_QUERY_CHARS + 1]
    where = (request.args.get("where") or "")[:MAX_PLACE_CHARS]
    answer = resolve(site().area, where)
    found = search_services(words, answer, _page()) if words else None
    return render_template("directory/search.html", words=words[:MAX_QUERY_CHARS], found=found,
                           place=answer.place, problem=_place_problem(answer), where=where,
                           missing_words=not words and "q" in request.args,
                           no_words=bool(words) and found is not None
                           and not found.query.required)


def _page() -> int:
    raw = request.args.get("page", "1")
    return int(raw) if raw.isdigit() and len(raw) < 4 else 1


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
