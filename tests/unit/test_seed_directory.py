"""The seed directory: every need tag is known, and every need the content signposts to has at
least one service, so no result says 'no services' for want of a seed entry."""

from pathlib import Path

import yaml

from mle.area import load_area
from mle.content import References, load_content
from mle.directory.taxonomy import ELIGIBILITY_TERMS

ROOT = Path(__file__).resolve().parents[2]
SERVICES = yaml.safe_load((ROOT / "directory" / "seed" / "services.yaml").read_text())["services"]
AREA = load_area(ROOT / "directory")


def test_seed_ids_are_unique():
    ids = [s["id"] for s in SERVICES]
    assert len(ids) == len(set(ids))


def test_seed_services_use_known_needs_and_localities():
    for service in SERVICES:
        assert set(service["needs"]) <= set(AREA.needs), service["id"]
        assert set(service.get("localities", ())) <= set(AREA.localities), service["id"]
        assert service["coverage"] in ("national", "area", "locality"), service["id"]
        assert set(service.get("eligibility", ())) <= set(ELIGIBILITY_TERMS), service["id"]
        if service["coverage"] == "locality":
            assert service.get("localities"), service["id"]


def test_every_need_the_content_signposts_to_has_a_service():
    content = load_content(ROOT / "questionnaires", References())
    signposted = {n for m in content.modules.values() for o in m.rules.outcomes for n in o.needs}
    offered = {n for s in SERVICES for n in s["needs"]}
    assert signposted - offered == set()


def test_entries_without_contact_details_are_flagged_for_an_editor():
    for service in SERVICES:
        phones = [p for c in service.get("contacts", ()) for p in c.get("phones", ())]
        if not (phones or service.get("url") or service.get("email")):
            assert service.get("needs_editor") is True, service["id"]


def test_seed_entries_use_only_known_fields():
    known = {"id", "name", "organization", "description", "needs", "coverage", "localities",
             "contacts", "email", "url", "schedules", "minimum_age", "maximum_age",
             "eligibility", "needs_editor", "source"}
    for service in SERVICES:
        assert set(service) <= known, service["id"]
