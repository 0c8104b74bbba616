"""How to fix a rejected record, in plain words, from the reason it was refused."""

from __future__ import annotations

_FIXES = (
    ("has no name", "Give the service a name in the source, then import the file again."),
    ("no organization", "Name the organisation that runs the service in the source record."),
    ("organization/name", "Give the organisation a name in the source record."),
    ("organization: not known", "Describe the organisation in full in this record (its id "
     "and name) the first time it appears."),
    ("location not known", "Describe the location in full (its id and address) the first time "
     "a record names it."),
    ("taxonomy term not known", "Describe the taxonomy term in full the first time a record "
     "names it."),
    ("is not a date and time", "Write the date and time as 2026-05-31T09:00:00Z."),
    ("is not a date", "Write the date as YYYY-MM-DD, for example 2026-05-31."),
    ("is longer than", "Shorten that field in the source: it is longer than the directory "
     "can hold."),
    ("the same id as record", "Give each record in the file its own id: two records share "
     "this one."),
    ("not a JSON object", "Each record must be one service object; check the file was "
     "exported as Open Referral UK."),
    ("could not be stored", "The record is valid but could not be stored: import it again, "
     "and if it is refused again, report it with the record's id."),
)
DEFAULT_FIX = ("Correct the field named in the reason in the source, so that the record "
               "matches the Open Referral UK 3.0 schema, then import the file again.")


def how_to_fix(reason: str) -> str:
    return next((fix for words, fix in _FIXES if words in reason), DEFAULT_FIX)
