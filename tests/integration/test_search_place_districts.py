"""The directory search's place box tells a postcode that cannot exist from a real one
elsewhere, using the districts the area's postcode areas have (area.yaml)."""

from __future__ import annotations

import pytest


def _where_error(client, where: str) -> str:
    page = client.get("/local-information/search", query_string={"q": "carers", "where": where})
    return page.soup.select_one("#where-error").get_text(" ", strip=True)


@pytest.mark.parametrize("where", ["ML99", "ml13 1aa", "ML0 1AA"])
def test_a_district_past_the_last_one_cannot_exist(client, where):
    assert "We cannot find the postcode" in _where_error(client, where)


@pytest.mark.parametrize("where", ["ML11", "ML12 6AA"])
def test_a_real_district_next_door_is_outside_the_area(client, where):
    assert "is outside North Lanarkshire" in _where_error(client, where)
