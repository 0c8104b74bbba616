"""The Care Inspectorate register of care services (its monthly datastore CSV, one council
area or all Scotland) read into SourceRecords: the adult care services of one council area,
each as an ORUK 3.0 service with its provider, phone, address and latest grades.

Which rows are taken, how each is described and which needs it suggests are area data, in
directory/sources/care_inspectorate.yaml. Pure: no database.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from mle.directory.postcodes import InvalidPostcode, normalise_postcode
from mle.imports.mapping_files import (
    DIRECTORY,
    SOURCES,
    MappingInvalid,
    checked_needs,
    known_needs,
    load_yaml,
)
from mle.imports.phones import read_uk_phone
from mle.imports.records import RejectedRecord, SourceFeed, SourceRecord
from mle.imports.source_ids import stable_id
from mle.oruk.import_result import ImportFailed

SOURCE = "care-inspectorate"
LABEL = "Care Inspectorate register"
REGISTER_MAPPING = SOURCES / "care_inspectorate.yaml"
ATTRIBUTION = ("Contains public sector information licensed under the Open Government Licence "
               "v3.0 (Care Inspectorate register of care services{date})")
COLUMNS = ("CSNumber", "CareService", "Subtype", "AdditionalSubtypes", "ServiceName",
           "Address_line_1", "Address_line_2", "Address_line_3", "Address_line_4",
           "Service_town", "Service_Postcode", "Service_Phone_Number", "SP_number",
           "ServiceProvider", "ServiceStatus", "Council_Area_Name", "Client_group",
           "CareHome_Main_Area_of_Care", "MinGrade", "MaxGrade",
           "Publication_of_Latest_Grading", "Last_inspection_Date")
# The keys a mapping rule may test, and the register's column each one reads.
CONDITIONS = {"care_service": "CareService", "subtype": "Subtype",
              "additional_subtype": "AdditionalSubtypes", "client_group": "Client_group",
              "care_home_main_area": "CareHome_Main_Area_of_Care"}
AT_HOME, AT_A_PLACE = "at-home", "at-a-place"
GRADE_WORDS = {1: "unsatisfactory", 2: "weak", 3: "adequate", 4: "good", 5: "very good",
               6: "excellent"}
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Rule:
    """`when`: key -> the values any of which it may have (casefolded)."""

    when: tuple[tuple[str, frozenset[str]], ...]
    describe: str = ""
    delivered: str = ""
    needs: tuple[str, ...] = ()

    def holds(self, row: dict) -> bool:
        return all(_row_values(row, key) & wanted for key, wanted in self.when)


@dataclass(frozen=True)
class RegisterMapping:
    council_area: str  # Council_Area_Name of the rows taken: 'North Lanarkshire'
    council_area_code: str  # its GSS code, given as the area of services delivered at home
    in_scope: tuple[Rule, ...]  # the first rule a row meets describes it; none: left out
    needs: tuple[Rule, ...]  # every rule a row meets adds its needs


def _row_values(row: dict, key: str) -> set[str]:
    text = row.get(CONDITIONS[key]) or ""
    parts = text.split(";") if key == "additional_subtype" else [text]
    return {p.strip().casefold() for p in parts if p.strip()}


def _rule(raw: object, where: str, known: frozenset[str], scope: bool) -> Rule:
    if not isinstance(raw, dict) or not isinstance(raw.get("when"), dict) or not raw["when"]:
        raise MappingInvalid(f"{where}: each rule needs a `when:` of conditions")
    when = []
    for key, value in raw["when"].items():
        if key not in CONDITIONS:
            raise MappingInvalid(f"{where}: unknown condition '{key}' (one of "
                                 f"{', '.join(CONDITIONS)})")
        values = value if isinstance(value, list) else [value]
        when.append((key, frozenset(str(v).strip().casefold() for v in values)))
    if scope:
        if raw.get("delivered") not in (AT_HOME, AT_A_PLACE):
            raise MappingInvalid(f"{where}: `delivered:` must be {AT_HOME} or {AT_A_PLACE}")
        if not str(raw.get("describe") or "").strip():
            raise MappingInvalid(f"{where}: `describe:` says in plain words what the service is")
        return Rule(tuple(when), str(raw["describe"]).strip(), raw["delivered"],
                    checked_needs(raw.get("needs", []), known, where))
    return Rule(tuple(when), needs=checked_needs(raw.get("needs"), known, where))


def load_register_mapping(path: Path = REGISTER_MAPPING,
                          directory: Path = DIRECTORY) -> RegisterMapping:
    """The mapping table, checked: every need id is in directory/needs.yaml."""
    data = load_yaml(path)
    known = known_needs(directory)
    area = data.get("council_area") or {}
    if not (isinstance(area, dict) and area.get("name") and area.get("code")):
        raise MappingInvalid(f"{path}: `council_area:` needs a name and a code")
    in_scope = tuple(_rule(r, f"{path}: in_scope[{n}]", known, True)
                     for n, r in enumerate(data.get("in_scope") or ()))
    needs = tuple(_rule(r, f"{path}: needs[{n}]", known, False)
                  for n, r in enumerate(data.get("needs") or ()))
    if not in_scope:
        raise MappingInvalid(f"{path}: `in_scope:` lists no rules, so no row would be taken")
    return RegisterMapping(str(area["name"]), str(area["code"]), in_scope, needs)


def _read_rows(path: Path) -> list[dict]:
    try:
        text = Path(path).read_text("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFailed(f"{Path(path).name} is not a UTF-8 text file: save the register "
                           "as CSV UTF-8 and try again") from None
    except OSError as error:
        raise ImportFailed(f"{Path(path).name} cannot be read: {error.strerror}") from None
    reader = csv.DictReader(text.splitlines())
    missing = [c for c in COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ImportFailed(f"{Path(path).name} is not a Care Inspectorate register file: it "
                           f"has no {', '.join(missing[:5])} column"
                           f"{'s' if len(missing) > 1 else ''}")
    return list(reader)


def _date(text: str | None) -> date | None:
    try:
        return datetime.strptime((text or "").strip(), "%d/%m/%Y").date()
    except ValueError:
        return None


def _long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def _grade(text: str | None) -> int | None:
    try:
        grade = int(float(text or ""))
    except ValueError:
        return None
    return grade if grade in GRADE_WORDS else None


def _grades_sentence(row: dict) -> str:
    low, high = _grade(row["MinGrade"]), _grade(row["MaxGrade"])
    published = _date(row["Publication_of_Latest_Grading"])
    if low is None or high is None:
        return "Not yet graded by the Care Inspectorate."
    when = f" (published {_long_date(published)})" if published else ""
    if low == high:
        grades = f"{low} ({GRADE_WORDS[low]}) in every area graded"
    else:
        grades = f"from {low} ({GRADE_WORDS[low]}) to {high} ({GRADE_WORDS[high]})"
    return (f"Care Inspectorate grades{when}: {grades}. The grades are the Care "
            "Inspectorate's, on a scale from 1 (unsatisfactory) to 6 (excellent).")


def _description(row: dict, rule: Rule) -> str:
    provider = row["ServiceProvider"].strip()
    parts = [f"{rule.describe}, provided by {provider}."]
    main_area = row["CareHome_Main_Area_of_Care"].strip()
    if main_area:
        parts.append(f"Main area of care: {main_area.lower()}.")
    parts.append(_grades_sentence(row))
    return " ".join(parts)


def _town(text: str) -> str:
    """'AIRDRIE' -> 'Airdrie'; a town already in mixed case is kept."""
    town = " ".join(text.split())
    return town.title() if town.isupper() else town


def _location(row: dict, service_id: str, postcode: str) -> dict:
    lines = [" ".join(row[f"Address_line_{n}"].split()) for n in range(1, 5)]
    lines = [line for line in lines if line]
    town = _town(row["Service_town"])
    location_id = stable_id(SOURCE, "location", service_id)
    return {"id": stable_id(SOURCE, "service_at_location", service_id),
            "location": {
                "id": location_id, "location_type": "physical",
                "name": row["ServiceName"].strip(),
                "addresses": [{
                    "id": stable_id(SOURCE, "address", location_id),
                    "address_1": ", ".join(lines) or town, "city": town,
                    "state_province": "Scotland", "postal_code": postcode, "country": "GB",
                    "address_type": "physical"}]}}


def _reject(row: dict, reason: str, how_to_fix: str) -> RejectedRecord:
    return RejectedRecord(key=(row.get("CSNumber") or "").strip(),
                          name=(row.get("ServiceName") or "").strip(), reason=reason,
                          how_to_fix=how_to_fix)


class _Unreadable(Exception):
    def __init__(self, reason: str, how_to_fix: str):
        super().__init__(reason)
        self.reason, self.how_to_fix = reason, how_to_fix


def _postcode(row: dict, rule: Rule, warnings: list[str]) -> str:
    """The row's postcode in its usual form, '' when none is given."""
    given = row["Service_Postcode"].strip()
    if not given:
        if rule.delivered == AT_A_PLACE:
            warnings.append("The register gives no address for this service, so where it is "
                            "cannot be known: an editor should add its address.")
        return ""
    try:
        postcode = normalise_postcode(given)
    except InvalidPostcode:
        raise _Unreadable(f"The postcode '{given}' is not a UK postcode.",
                          "Check the postcode on the Care Inspectorate register; correct it "
                          "in the file, or add the entry by hand.") from None
    if postcode != " ".join(given.upper().split()):
        warnings.append(f"The postcode {given} was written as {postcode}.")
    return postcode


def _contacts(row: dict, service_id: str, warnings: list[str]) -> list[dict]:
    phone = read_uk_phone(row["Service_Phone_Number"])
    if phone.warning:
        warnings.append(phone.warning)
    if not phone.number:
        return []
    contact_id = stable_id(SOURCE, "contact", service_id)
    return [{"id": contact_id, "phones": [{"id": stable_id(SOURCE, "phone", contact_id),
                                           "number": phone.number}]}]


def _record(row: dict, rule: Rule, mapping: RegisterMapping) -> SourceRecord:
    key, name = row["CSNumber"].strip(), " ".join(row["ServiceName"].split())
    provider, provider_key = row["ServiceProvider"].strip(), row["SP_number"].strip()
    if not name:
        raise _Unreadable("The service has no name.", "Ask the Care Inspectorate to correct "
                          "the register, or add the entry by hand.")
    if not provider or not provider_key:
        raise _Unreadable("The register gives no provider for this service.",
                          "Check the row's ServiceProvider and SP_number columns.")
    warnings: list[str] = []
    postcode = _postcode(row, rule, warnings)
    service_id = stable_id(SOURCE, "service", key)
    data: dict = {
        "id": service_id, "name": name, "status": "active",
        "description": _description(row, rule),
        "organization": {"id": stable_id(SOURCE, "organization", provider_key),
                         "name": provider, "description": ""}}
    contacts = _contacts(row, service_id, warnings)
    if contacts:
        data["contacts"] = contacts
    if postcode:
        data["service_at_locations"] = [_location(row, service_id, postcode)]
    area_codes: tuple[str, ...] = ()
    if rule.delivered == AT_HOME:
        data["service_areas"] = [{"id": stable_id(SOURCE, "service_area", service_id),
                                  "name": row["Council_Area_Name"].strip()}]
        area_codes = (mapping.council_area_code,)
    needs = list(rule.needs)
    for extra in mapping.needs:
        if extra.holds(row):
            needs += [n for n in extra.needs if n not in needs]
    return SourceRecord(key=key, data=data, suggested_needs=tuple(needs),
                        area_codes=area_codes, review_date=_date(row["Last_inspection_Date"]),
                        warnings=tuple(warnings))


def _attribution(path: Path) -> str:
    found = _FILE_DATE.search(Path(path).name)
    try:
        day = date.fromisoformat(found.group(1)) if found else None
    except ValueError:
        day = None
    return ATTRIBUTION.format(date=f", {_long_date(day)}" if day else "")


def read_register(path: Path, mapping: RegisterMapping | None = None) -> SourceFeed:
    """The adult care services of the mapping's council area in a register file.

    Rows of other council areas, out of scope (children's services, childminding, nurse
    agencies ...) or not Active are counted in `skipped`; rows that cannot be read are
    RejectedRecords. A file with no row of the council area stops with ImportFailed, so a
    wrong file never archives the area's entries.
    """
    mapping = mapping or load_register_mapping()
    rows = _read_rows(path)
    area = mapping.council_area.casefold()
    feed = SourceFeed(source=SOURCE, feed=f"{SOURCE}:{mapping.council_area}", label=LABEL,
                      attribution=_attribution(path), file_name=Path(path).name)
    in_area = 0
    seen: set[str] = set()
    for row in rows:
        if None in row or any(row[c] is None for c in COLUMNS):
            feed.records.append(_reject(
                {k: v for k, v in row.items() if isinstance(v, str)},
                "The row does not have the same number of columns as the header, so its "
                "values cannot be told apart.",
                "Open the file and check the row for a comma or quote mark inside a value "
                "that is not in quotes."))
            continue
        if (row["Council_Area_Name"] or "").strip().casefold() != area:
            continue
        in_area += 1
        rule = next((r for r in mapping.in_scope if r.holds(row)), None)
        if rule is None or row["ServiceStatus"].strip().casefold() != "active":
            feed.skipped += 1
            continue
        key = row["CSNumber"].strip()
        if not key:
            feed.records.append(_reject(row, "The row has no CSNumber, the register's id.",
                                        "Check the row in the register file."))
        elif key in seen:
            feed.records.append(_reject(row, f"{key} appears more than once in the file.",
                                        "Keep one row for each CSNumber."))
        else:
            seen.add(key)
            try:
                feed.records.append(_record(row, rule, mapping))
            except _Unreadable as problem:
                feed.records.append(_reject(row, problem.reason, problem.how_to_fix))
    if not in_area:
        raise ImportFailed(f"{Path(path).name} has no services in {mapping.council_area}: "
                           "check that it is the register for this area")
    return feed
