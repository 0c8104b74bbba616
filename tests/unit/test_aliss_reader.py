"""ALISS API v4 responses and CSV exports read as a directory editor would expect: every
service with its organisation, places, phone, email and web address, its service areas kept
as ALISS gives them, and the needs its categories rightly suggest."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from mle.imports.aliss import ATTRIBUTION, load_aliss_mapping, read_aliss
from mle.imports.records import RejectedRecord, SourceRecord
from mle.oruk.feed import validate
from mle.oruk.import_result import ImportFailed

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests/fixtures/aliss"
YOUNG_AT_HEART = "1b88b3ab-d12a-4754-9ec4-ad5bdcecb84b"
COUNSELLING = "fed34ae8-cf8b-4d6d-9250-6a7d56809d8d"
FOOD_PARCELS = "3da126c1-44b4-4095-a1d1-db21787d0b6a"


@pytest.fixture(scope="module")
def mapping():
    return load_aliss_mapping()


@pytest.fixture(scope="module")
def feed(mapping):
    return read_aliss(FIXTURES / "services_v4.json", mapping)


def _by_key(feed) -> dict[str, SourceRecord]:
    return {r.key: r for r in feed.records if isinstance(r, SourceRecord)}


def _write(tmp_path, data) -> Path:
    path = tmp_path / "aliss.json"
    path.write_text(json.dumps(data), "utf-8")
    return path


def _one_service(**changes) -> dict:
    page = json.loads((FIXTURES / "services_v4.json").read_text("utf-8"))
    return {**page["data"][0], **changes}


def test_the_feed_carries_the_aliss_attribution(feed):
    assert feed.source == "aliss" and feed.label == "ALISS"
    assert feed.feed == "aliss:north-lanarkshire"
    assert feed.attribution == ATTRIBUTION
    assert "CC BY 4.0" in feed.attribution and "www.aliss.org" in feed.attribution
    assert feed.complete


def test_every_service_of_the_response_is_read_and_valid(feed):
    records = _by_key(feed)
    assert set(records) == {YOUNG_AT_HEART, COUNSELLING, FOOD_PARCELS}
    for record in records.values():
        assert validate(record.data)["id"] == record.key  # ALISS ids are UUIDs already


def test_a_north_lanarkshire_service(feed):
    record = _by_key(feed)[YOUNG_AT_HEART]
    assert record.area_codes == ("S12000050",)
    assert record.data["service_areas"][0]["name"] == "North Lanarkshire"
    assert record.data["organization"]["name"] == "CACE"
    assert record.data["contacts"][0]["phones"][0]["number"] == "01236 451393"
    assert record.data["email"] == "info@careatcace.com"
    assert record.data["url"] == "https://www.cace.info/"
    address = record.data["service_at_locations"][0]["location"]["addresses"][0]
    assert (address["postal_code"], address["city"]) == ("G67 3EN", "Cumbernauld")
    assert record.review_date.isoformat() == "2023-12-12"
    assert "\n\nThis service runs on Wednesday PM" in record.data["description"]
    # physical and social activities it chose; not the parents ALISS lists unchosen
    assert record.suggested_needs == ("physical-activity", "loneliness")


def test_a_service_elsewhere_keeps_its_own_area(feed):
    record = _by_key(feed)[COUNSELLING]
    assert record.area_codes == ("S12000046",)
    assert record.data["service_areas"][0]["name"] == "Glasgow City"
    assert record.suggested_needs == ("mental-health-support",)


def test_a_service_with_no_area_has_only_its_place(feed):
    record = _by_key(feed)[FOOD_PARCELS]
    assert record.area_codes == () and "service_areas" not in record.data
    assert record.data["service_at_locations"][0]["location"]["addresses"][0][
        "postal_code"] == "G2 4JP"
    assert record.suggested_needs == ("food-support",)  # food-nutrition alone suggests none
    assert record.review_date is None  # the v4 response has no last_reviewed


def test_ids_are_the_same_on_every_read(feed, mapping):
    again = read_aliss(FIXTURES / "services_v4.json", mapping)
    assert [r.data for r in again.records] == [r.data for r in feed.records]


def test_one_service_response_is_read(mapping):
    feed = read_aliss(FIXTURES / "service_v4.json", mapping)
    (record,) = feed.records
    assert record.data["name"] == "Leitholm Soup Social"
    assert record.suggested_needs == ("loneliness",)  # social group, lunch club
    assert "url" not in record.data  # given empty


def test_2018_area_codes_are_kept_as_given_with_the_current_ones_in_the_mapping(tmp_path,
                                                                               mapping):
    service = _one_service(service_areas=[{"code": "S12000044", "type": "Local Authority",
                                           "name": "North Lanarkshire"}])
    (record,) = read_aliss(_write(tmp_path, [service]), mapping).records
    assert record.area_codes == ("S12000044",)
    assert mapping.current_codes == {"S12000044": "S12000050", "S37000021": "S37000035",
                                     "S08000023": "S08000032"}


def test_a_bare_web_address_gets_https_with_a_warning(tmp_path, mapping):
    (record,) = read_aliss(_write(tmp_path, [_one_service(url="www.cace.info")]),
                           mapping).records
    assert record.data["url"] == "https://www.cace.info"
    assert any("https://" in w for w in record.warnings)


def test_an_unusable_web_address_or_email_is_left_out_not_rejected(tmp_path, mapping):
    service = _one_service(url="see our facebook page", email="ring us")
    (record,) = read_aliss(_write(tmp_path, [service]), mapping).records
    assert isinstance(record, SourceRecord)
    assert "url" not in record.data and "email" not in record.data
    assert len(record.warnings) == 2


def test_a_service_without_a_name_or_with_a_bad_postcode_is_rejected(tmp_path, mapping):
    nameless = _one_service(name="")
    bad = _one_service(id="c25eb461-e08d-4436-b3f5-1e43c07cd5ea", locations=[
        {**_one_service()["locations"][0], "postal_code": "G67 XYZ"}])
    feed = read_aliss(_write(tmp_path, {"data": [nameless, bad], "next": None}), mapping)
    reasons = [r.reason for r in feed.records if isinstance(r, RejectedRecord)]
    assert len(reasons) == 2
    assert "no name" in reasons[0] and "G67 XYZ" in reasons[1]


def test_one_page_of_several_is_marked_incomplete(tmp_path, mapping):
    page = json.loads((FIXTURES / "services_v4.json").read_text("utf-8"))
    page["next"] = "https://www.aliss.org/api/v4/services/?page=2&postcode=G2+4AA"
    feed = read_aliss(_write(tmp_path, page), mapping)
    assert not feed.complete and len(feed.records) == 3
    both = read_aliss(_write(tmp_path, [page, {**page, "data": [], "next": None}]), mapping)
    assert both.complete and len(both.records) == 3


@pytest.mark.parametrize(("content", "message"), [
    (b'{"data": [', "is not JSON"),
    (b'{"services": 3}', "not an ALISS response"),
    ('[{"id": "x"}]'.encode("utf-16"), "not a UTF-8 text file"),
])
def test_a_file_that_cannot_be_read_stops_with_one_message(tmp_path, mapping, content, message):
    path = tmp_path / "aliss.json"
    path.write_bytes(content)
    with pytest.raises(ImportFailed, match=message):
        read_aliss(path, mapping)


# Every mapping row, with the need a clinician would expect a service in that category to meet.
MAPPED = {
    "befriending": ("loneliness",), "home-visiting": ("loneliness",),
    "social-group": ("loneliness",), "social-activity": ("loneliness",),
    "lunch-club": ("loneliness",),
    "physical-activity": ("physical-activity",), "exercise-and-get-fit": ("physical-activity",),
    "outdoor-activity": ("physical-activity",), "sports-and-games": ("physical-activity",),
    "mental-health": ("mental-health-support",), "mental-wellbeing": ("mental-health-support",),
    "anxiety": ("mental-health-support",), "depression": ("mental-health-support",),
    "counselling": ("mental-health-support",), "self-harm": ("mental-health-support",),
    "suicide": ("mental-health-support",),
    "dementia": ("dementia-support",), "brain-health": ("brain-health",),
    "addiction": ("addiction-recovery",), "alcohol-addiction": ("addiction-recovery",),
    "drug-addiction": ("addiction-recovery",), "gambling-addiction": ("gambling-support",),
    "blind-visual-impairment": ("sight-support",),
    "deaf-and-hard-of-hearing": ("hearing-support",), "bsl-user": ("hearing-support",),
    "deafblindness": ("hearing-support", "sight-support"),
    "money-advice": ("money-advice",), "welfare-rights": ("money-advice",),
    "debt-advice": ("money-advice",), "pensions": ("money-advice",),
    "energy-advice": ("energy-advice",),
    "foodbank": ("food-support",), "food-pantry": ("food-support",),
    "free-meals": ("food-support",), "community-food-shops": ("food-support",),
    "housing-advice": ("housing-advice",), "homelessness": ("housing-advice",),
    "housing-adaptations": ("home-adaptations",), "home-repairs": ("home-safety",),
    "adult-protection": ("adult-protection",), "independent-advocacy": ("advocacy",),
    "respite": ("short-breaks",), "short-breaks": ("short-breaks",),
    "adult-day-care": ("short-breaks",),
    "sensors-and-home-aids": ("community-alarm",),
    "technology-for-care-and-support": ("community-alarm",),
    "mobility-aids": ("mobility-equipment",),
    "community-transport": ("transport",), "dial-a-bus": ("transport",),
    "dial-a-ride-demand-responsive-transport": ("transport",),
    "community-bus-service": ("transport",), "volunteer-car-scheme": ("transport",),
    "transport-to-health-and-social-care": ("transport",),
    "out-and-about-bus-taxi": ("transport",),
    "incontinence": ("continence-support",),
}
# Too broad to suggest a need alone, or not what the need means.
NOT_MAPPED = ["support-group", "peer-support", "one-to-one-support", "housing-support",
              "community-cafe", "community-garden", "tele-monitoring-tools", "food-and-nutrition",
              "health-and-social-care-services", "care-home", "warm-spaces"]


def test_the_mapping_table_is_exactly_the_reviewed_one(mapping):
    assert mapping.categories == MAPPED


@pytest.mark.parametrize(("slug", "needs"), sorted(MAPPED.items()))
def test_each_category_suggests_what_a_clinician_expects(tmp_path, mapping, slug, needs):
    service = _one_service(categories=[{"name": slug, "slug": slug}])
    (record,) = read_aliss(_write(tmp_path, [service]), mapping).records
    assert record.suggested_needs == needs


@pytest.mark.parametrize("slug", NOT_MAPPED)
def test_broad_categories_suggest_nothing(tmp_path, mapping, slug):
    service = _one_service(categories=[{"name": slug, "slug": slug}])
    (record,) = read_aliss(_write(tmp_path, [service]), mapping).records
    assert record.suggested_needs == ()


def test_mapped_slugs_are_real_aliss_categories(mapping):
    with (FIXTURES / "aliss_categories_2024-05.csv").open(encoding="utf-8") as file:
        slugs = {row["slug"] for row in csv.DictReader(file)}
    assert set(mapping.categories) <= slugs
    assert set(mapping.renamed_categories.values()) <= slugs
    assert not set(NOT_MAPPED) - slugs


def test_older_slugs_are_read_as_the_current_ones(tmp_path, mapping):
    service = _one_service(categories=[{"name": "Exercise & Get Fit", "slug": "exercise-get-fit"}])
    (record,) = read_aliss(_write(tmp_path, [service]), mapping).records
    assert record.suggested_needs == ("physical-activity",)


def test_the_csv_export_gives_one_record_per_service(mapping):
    export = FIXTURES / "export_north_lanarkshire.csv"
    feed = read_aliss(export, mapping)
    with export.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))[1:]
    assert [r.key for r in feed.records] == list(dict.fromkeys(row[0] for row in rows))
    assert len(feed.records) == 4 and len(rows) == 5
    records = _by_key(feed)
    assert len(records[YOUNG_AT_HEART].data["service_at_locations"]) == 1  # two identical rows
    for record in records.values():
        validate(record.data)
    shed = next(r for r in records.values() if r.data["name"] == "Community Shed")
    assert "woodwork, gardening & veg growing" in shed.data["description"]  # &amp; read as &
    assert shed.area_codes == () and shed.suggested_needs == ()
    craigneuk = next(r for r in records.values() if r.data["name"] == "Growing Wild in Craigneuk")
    assert any("deprioritised" in w for w in craigneuk.warnings)


def test_the_export_with_unique_column_names_reads_the_same(tmp_path, mapping):
    export = FIXTURES / "export_north_lanarkshire.csv"
    with export.open(encoding="utf-8") as file:
        rows = list(csv.reader(file))
    second = rows[0].index("id", 1)
    rows[0] = rows[0][:second] + [f"location_{c}" for c in rows[0][second:]]
    renamed = tmp_path / "unique.csv"
    with renamed.open("w", encoding="utf-8", newline="") as file:
        csv.writer(file).writerows(rows)
    assert [r.data for r in read_aliss(renamed, mapping).records] == [
        r.data for r in read_aliss(export, mapping).records]
