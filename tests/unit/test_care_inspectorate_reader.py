"""The Care Inspectorate register read as a directory editor would expect: adult care services
only, each with its provider, phone, address, grades and the needs a clinician would send a
resident to it for; children's services left out; bad rows reported in plain words."""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from mle.imports.care_inspectorate import load_register_mapping, read_register
from mle.imports.mapping_files import MappingInvalid
from mle.imports.phones import read_uk_phone
from mle.imports.records import RejectedRecord, SourceRecord
from mle.oruk.feed import validate
from mle.oruk.import_result import ImportFailed

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests/fixtures/care_inspectorate/register_small.csv"
REAL = next((ROOT / "directory/sources").glob("care_inspectorate_datastore_*.csv"))


@pytest.fixture(scope="module")
def mapping():
    return load_register_mapping()


@pytest.fixture(scope="module")
def feed(mapping):
    return read_register(FIXTURE, mapping)


def _by_key(feed) -> dict[str, SourceRecord]:
    return {r.key: r for r in feed.records if isinstance(r, SourceRecord)}


def _phones(record: SourceRecord) -> list[str]:
    return [p["number"] for c in record.data.get("contacts", ()) for p in c["phones"]]


def test_the_feed_says_where_it_came_from(feed):
    assert feed.source == "care-inspectorate"
    assert feed.feed == "care-inspectorate:North Lanarkshire"
    assert feed.label == "Care Inspectorate register"
    assert feed.file_name == "register_small.csv"
    assert feed.attribution.startswith("Contains public sector information licensed under the "
                                       "Open Government Licence v3.0")


def test_the_attribution_gives_the_date_of_the_register(mapping):
    assert read_register(REAL, mapping).attribution.endswith(
        "(Care Inspectorate register of care services, 31 May 2026)")


def test_only_active_adult_services_are_taken(feed):
    taken = set(_by_key(feed))
    assert taken == {"CS2004071313", "CS2004071307", "CS2003001206", "CS2026000149",
                     "CS2009234408", "CS2014326869", "CS2019374899", "CS2018370860",
                     "CS2016349817", "CS2006137803"}
    # children's day care, a children's care home, a nurse agency and an inactive service
    assert feed.skipped == 4


def test_a_malformed_row_is_rejected_with_how_to_fix_it(feed):
    rejected = [r for r in feed.records if isinstance(r, RejectedRecord)]
    assert [r.key for r in rejected] == ["CS2022000307"]
    assert "number of columns" in rejected[0].reason
    assert rejected[0].how_to_fix


# What each rule of directory/sources/care_inspectorate.yaml should give, written from what an
# occupational therapist or social worker would expect: (CSNumber, description starts with,
# delivered at home, suggested needs).
EXPECTED = [
    ("CS2004071313", "Care at home support for adults, provided by North Lanarkshire Council.",
     True, ()),
    ("CS2004071307", "Housing support for adults", True, ()),
    ("CS2003001206", "Day service for adults, provided by North Lanarkshire Council.", False,
     ("short-breaks",)),
    ("CS2026000149", "Care home for short breaks and respite stays for adults", False,
     ("short-breaks",)),
    ("CS2009234408", "Adult placement (Shared Lives) service", True, ()),
    ("CS2014326869", "Care at home support and day care for adults, provided by Crossreach.",
     True, ("short-breaks",)),
    ("CS2016349817", "Care home for older people, provided by HC-One No. 1 Limited. Main area "
     "of care: older people - dementia.", False, ()),
    ("CS2006137803", "Housing support for adults", True, ()),
]


@pytest.mark.parametrize(("key", "describes", "at_home", "needs"), EXPECTED)
def test_each_kind_of_service_is_described_placed_and_mapped(feed, key, describes, at_home,
                                                              needs):
    record = _by_key(feed)[key]
    assert record.data["description"].startswith(describes)
    assert record.suggested_needs == needs
    if at_home:
        assert record.data["service_areas"][0]["name"] == "North Lanarkshire"
        assert record.area_codes == ("S12000050",)
    else:
        assert "service_areas" not in record.data and record.area_codes == ()
        assert record.data["service_at_locations"][0]["location"]["addresses"][0]["postal_code"]


def test_grades_are_given_as_the_care_inspectorates_with_their_date(feed):
    records = _by_key(feed)
    assert ("Care Inspectorate grades (published 14 August 2025): 3 (adequate) in every area "
            "graded.") in records["CS2004071313"].data["description"]
    assert ("Care Inspectorate grades (published 20 March 2026): from 2 (weak) to 3 (adequate)."
            ) in records["CS2019374899"].data["description"]
    assert "the Care Inspectorate's" in records["CS2019374899"].data["description"]
    assert "Not yet graded by the Care Inspectorate." in records["CS2026000149"].data[
        "description"]


def test_the_provider_is_the_organisation_and_the_same_for_its_services(feed):
    records = _by_key(feed)
    council = {records[k].data["organization"]["id"] for k in
               ("CS2004071313", "CS2004071307", "CS2003001206")}
    assert len(council) == 1
    assert records["CS2004071313"].data["organization"]["name"] == "North Lanarkshire Council"
    assert records["CS2014326869"].data["organization"]["id"] not in council


def test_address_and_review_date_come_from_the_register(feed):
    record = _by_key(feed)["CS2014326869"]
    address = record.data["service_at_locations"][0]["location"]["addresses"][0]
    assert address == {**address, "address_1": "Dalziel St. Andrew's Parish Church, 43-47 Merry "
                       "Street", "city": "Motherwell", "postal_code": "ML1 1JJ",
                       "country": "GB"}
    assert record.review_date.isoformat() == "2025-01-17"


def test_phones_are_spaced_and_repairs_are_warned(feed):
    records = _by_key(feed)
    assert _phones(records["CS2003001206"]) == ["01236 856000"]
    assert _phones(records["CS2019374899"]) == ["07507 905778"]
    assert any("+44" in w for w in records["CS2019374899"].warnings)
    postcode = records["CS2018370860"].data["service_at_locations"][0]["location"]["addresses"][0]
    assert postcode["postal_code"] == "ML4 3NR"
    assert any("ML43NR" in w for w in records["CS2018370860"].warnings)


def test_a_service_without_a_phone_or_address_gets_none_made_up(feed):
    record = _by_key(feed)["CS2006137803"]
    assert "contacts" not in record.data and "service_at_locations" not in record.data


def test_every_record_is_a_valid_oruk_service(feed):
    for record in _by_key(feed).values():
        assert validate(record.data)["id"] == record.data["id"]


def test_ids_are_the_same_on_every_read(feed, mapping):
    again = _by_key(read_register(FIXTURE, mapping))
    assert {k: r.data for k, r in _by_key(feed).items()} == {k: r.data for k, r in again.items()}


def _rewrite(tmp_path, change) -> Path:
    rows = list(csv.DictReader(FIXTURE.read_text("utf-8").splitlines()))[:-1]
    header = list(rows[0])
    for row in rows:
        change(row)
    path = tmp_path / "register.csv"
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.DictWriter(out, header)
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_bad_postcode_or_missing_name_is_rejected_and_the_rest_go_in(tmp_path, mapping):
    def change(row):
        if row["CSNumber"] == "CS2004071313":
            row["Service_Postcode"] = "ML6 XYZ"
        if row["CSNumber"] == "CS2004071307":
            row["ServiceName"] = " "
    feed = read_register(_rewrite(tmp_path, change), mapping)
    rejected = {r.key: r for r in feed.records if isinstance(r, RejectedRecord)}
    assert set(rejected) == {"CS2004071313", "CS2004071307"}
    assert "ML6 XYZ" in rejected["CS2004071313"].reason
    assert "no name" in rejected["CS2004071307"].reason
    assert len(_by_key(feed)) == 8


def test_another_council_areas_rows_are_skipped(tmp_path, mapping):
    def change(row):
        if row["CSNumber"] == "CS2004071313":
            row["Council_Area_Name"] = "South Lanarkshire"
    feed = read_register(_rewrite(tmp_path, change), mapping)
    assert "CS2004071313" not in _by_key(feed)


@pytest.mark.parametrize(("content", "message"), [
    ("name,phone\nA,1\n", "has no CSNumber"),
    ("CSNumber,CareService".encode("utf-16"), "not a UTF-8 text file"),
])
def test_a_file_that_is_not_a_register_stops_with_one_message(tmp_path, mapping, content,
                                                               message):
    path = tmp_path / "wrong.csv"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(ImportFailed, match=message):
        read_register(path, mapping)


def test_a_register_of_another_area_stops_rather_than_archive_everything(tmp_path, mapping):
    path = _rewrite(tmp_path, lambda row: row.update(Council_Area_Name="Fife"))
    with pytest.raises(ImportFailed, match="no services in North Lanarkshire"):
        read_register(path, mapping)


def test_a_mapping_with_an_unknown_need_stops_when_it_loads(tmp_path):
    text = (ROOT / "directory/sources/care_inspectorate.yaml").read_text("utf-8")
    path = tmp_path / "care_inspectorate.yaml"
    path.write_text(text.replace("needs: [short-breaks]", "needs: [respite-care]", 1), "utf-8")
    with pytest.raises(MappingInvalid, match="respite-care"):
        load_register_mapping(path)


# The whole North Lanarkshire register, as the seed directory takes it.

@pytest.fixture(scope="module")
def real(mapping):
    return read_register(REAL, mapping)


@pytest.fixture(scope="module")
def real_rows():
    return list(csv.DictReader(REAL.read_text("utf-8").splitlines()))


def test_the_real_register_gives_its_adult_services_by_type(real, real_rows):
    records = _by_key(real)
    by_row = {r["CSNumber"]: r for r in real_rows}
    kinds = Counter(by_row[k]["CareService"] for k in records)
    adults = Counter(r["CareService"] for r in real_rows if r["Client_group"] == "Adults"
                     and r["CareService"] != "Nurse Agency")
    assert kinds == adults
    assert kinds == {"Support Service": 70, "Housing Support Service": 44,
                     "Care Home Service": 27, "Adult Placement Service": 4}
    assert len(records) + real.skipped == len(real_rows)
    assert not [r for r in real.records if isinstance(r, RejectedRecord)]


def test_the_real_register_gives_no_childrens_service(real, real_rows):
    children = {r["CSNumber"] for r in real_rows if r["Client_group"] == "Children"}
    assert children and not children & set(_by_key(real))
    by_row = {r["CSNumber"]: r for r in real_rows}
    left_out = {"Day Care of Children", "Fostering Service", "Adoption Service",
                "School Care Accommodation Service", "Nurse Agency"}
    assert not {by_row[k]["CareService"] for k in _by_key(real)} & left_out


def test_every_phone_of_the_real_register_is_kept(real, real_rows):
    records = _by_key(real)
    for row in real_rows:
        if row["CSNumber"] not in records:
            continue
        given = row["Service_Phone_Number"].strip()
        phones = _phones(records[row["CSNumber"]])
        if not given:
            assert phones == []
        else:
            expected = read_uk_phone(given).number
            assert phones == [expected]
            digits = re.sub(r"\D", "", given)
            assert re.sub(r"\D", "", expected).lstrip("0") == digits.removeprefix("44").lstrip("0")


def test_every_real_record_is_a_valid_oruk_service(real):
    records = _by_key(real)
    assert records
    for record in records.values():
        shaped = validate(record.data)  # raises, with every reason, on an invalid record
        assert shaped["id"] == record.data["id"] and shaped["name"] == record.data["name"]


@pytest.mark.parametrize(("given", "number", "warned"), [
    ("01236 856 000", "01236 856000", False),
    ("01236918800", "01236 918800", False),
    ("0141 611 2888", "0141 611 2888", False),
    ("0300 555 0408", "0300 555 0408", False),
    ("07973 751 419", "07973 751419", False),
    ("+44 7507905778", "07507 905778", True),
    ("+44 (0)1698 403520", "01698 403520", True),
    ("0800 123456", "0800 123456", False),
    ("01236 55002", "01236 55002", True),  # a digit short: kept as given, never completed
    ("01236 123456 or 07700 900123", "01236 123456 or 07700 900123", True),
    ("  ", None, False),
])
def test_phone_numbers_get_their_usual_spacing_and_nothing_else(given, number, warned):
    phone = read_uk_phone(given)
    assert phone.number == number
    assert bool(phone.warning) is warned
