"""The directory as ORUK 3.0 JSON: a list of fully nested services, as /services/{id} gives
them, each valid against the ORUK 3.0 service schema."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from mle.database import db
from mle.models import Service
from mle.oruk import serialise
from mle.oruk.queries import published


def export_services(published_only: bool = True) -> list[dict]:
    query = (select(Service).order_by(Service.id)
             .options(selectinload(Service.contacts), selectinload(Service.schedules),
                      selectinload(Service.service_areas),
                      selectinload(Service.service_at_locations),
                      selectinload(Service.cost_options), selectinload(Service.funding),
                      selectinload(Service.languages), selectinload(Service.attributes)))
    if published_only:
        query = query.where(*published())
    return [serialise.service_full(service) for service in db.session.scalars(query)]
