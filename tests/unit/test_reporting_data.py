"""The data behind the reports: locality groups, the national outcomes file, the service gap."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from mle.area import load_area
from mle.assessment.results import ResultPage
from mle.reporting.national_outcomes import load_national_outcomes
from mle.reporting.publication import band_of
from tests.conftest import ROOT, load_test_content


def test_localities_name_their_groups(tmp_path):
    area = load_area(ROOT / "directory")
    assert set(area.locality_groups) == {"airdrie-coatbridge", "motherwell-wishaw"}
    assert area.localities["airdrie"].groups == ("airdrie-coatbridge",)
    assert area.localities["north"].groups == ()

    raw = yaml.safe_load((ROOT / "directory" / "area.yaml").read_text("utf-8"))
    raw["localities"][0]["groups"] = ["nowhere"]
    for name in ("needs.yaml",):
        (tmp_path / name).write_text((ROOT / "directory" / name).read_text("utf-8"), "utf-8")
    (tmp_path / "area.yaml").write_text(yaml.safe_dump(raw), "utf-8")
    with pytest.raises(ValueError, match="unknown group nowhere"):
        load_area(tmp_path)


def test_the_national_outcomes_file_has_the_nine_outcomes_and_maps_real_modules():
    national = load_national_outcomes(ROOT / "directory" / "national_outcomes.yaml")
    assert sorted(national.outcomes) == list(range(1, 10))
    assert national.outcomes[7] == "People who use health and social care services are safe " \
        "from harm."
    modules = set(load_test_content().modules)
    assert set(national.modules) <= modules
    assert national.outcomes_for("carer", "advice") == (1, 6)
    assert national.modules_for(6) == ["carer"] and "urgent" in national.levels_for(7)


def test_an_outcome_mapped_to_an_unknown_number_is_refused(tmp_path):
    (tmp_path / "n.yaml").write_text(yaml.safe_dump(
        {"outcomes": [{"id": 1, "text": "x"}], "levels": {"advice": [10]}}), "utf-8")
    with pytest.raises(ValueError, match="unknown outcomes"):
        load_national_outcomes(Path(tmp_path / "n.yaml"))


def _matched(reason: str, terms: list[str]):
    return SimpleNamespace(reason=reason, service=SimpleNamespace(term_ids=terms))


def test_a_need_covered_only_nationally_or_not_at_all_is_a_service_gap():
    section = SimpleNamespace(
        result=SimpleNamespace(needs=("carer-support", "home-adaptations", "money-advice")),
        services=(_matched("locality", ["carer-support"]),
                  _matched("national", ["home-adaptations"])))
    page = ResultPage(urgent=(), urgent_contacts=(), sections=(section,), result=None)
    assert page.unmet_needs == ["home-adaptations", "money-advice"]


@pytest.mark.parametrize(("days", "band"), [(0, "0"), (2, "1-2"), (5, "3-5"), (30, "21+")])
def test_days_to_first_action_fall_in_bands(days, band):
    assert band_of(days) == band
