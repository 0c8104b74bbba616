"""A district the area's postcode file does not hold: one that cannot exist, or one elsewhere."""

from __future__ import annotations

import pytest

from mle.directory.postcode_districts import PlaceProblem, district_problem, is_listed_district

ML_ONLY = {"ML": 12}


@pytest.mark.parametrize("district", ["ML99", "ML13", "ML0", "ZZ1", "QQ9", "XY12"])
def test_a_district_that_cannot_exist_is_an_unknown_postcode(district):
    assert district_problem(district, ML_ONLY) is PlaceProblem.UNKNOWN_POSTCODE


@pytest.mark.parametrize("district", ["ML11", "ML12", "ML1", "G1", "G99", "EH1", "KA1", "SW1A"])
def test_a_district_that_may_exist_is_outside_the_area(district):
    # Districts of areas whose list is not given are taken to be real: the service cannot tell.
    assert district_problem(district, ML_ONLY) is PlaceProblem.OUTSIDE_AREA


def test_without_district_lists_only_the_postcode_area_is_judged():
    assert district_problem("ML99", {}) is PlaceProblem.OUTSIDE_AREA
    assert district_problem("ZZ99", {}) is PlaceProblem.UNKNOWN_POSTCODE


def test_only_a_listed_district_is_known_to_exist():
    assert is_listed_district("ML11", ML_ONLY) and is_listed_district("ML1", ML_ONLY)
    assert not is_listed_district("ML67", ML_ONLY)  # the sector ML6 7, typed without a space
    assert not is_listed_district("G69", ML_ONLY)  # the G area's districts are not listed
