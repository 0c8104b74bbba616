"""Load the seed directory (directory/seed/services.yaml) into the database, by id."""

from __future__ import annotations

from pathlib import Path

import yaml

from mle.extensions import db
from mle.models import Service, ServiceLocality, ServiceNeed


def load_seed_services(path: Path) -> int:
    """Insert or update every seed service; return how many were loaded."""
    entries = yaml.safe_load(Path(path).read_text("utf-8"))["services"]
    for entry in entries:
        service = db.session.get(Service, entry["id"]) or Service(id=entry["id"])
        service.name = entry["name"]
        service.organization = entry["organization"]
        service.description = entry["description"]
        service.phone = entry.get("phone") or None
        service.email = entry.get("email") or None
        service.url = entry.get("url") or None
        service.coverage = entry["coverage"]
        service.min_age = entry.get("min_age")
        service.max_age = entry.get("max_age")
        service.carers_only = entry.get("carers_only", False)
        service.needs_editor = entry.get("needs_editor", False)
        service.status = "published"
        service.needs = [ServiceNeed(need=n) for n in entry["needs"]]
        service.localities = [ServiceLocality(locality=x) for x in entry.get("localities", ())]
        db.session.add(service)
    db.session.commit()
    return len(entries)
