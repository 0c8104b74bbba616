"""Feed HTML to plain text (nh3), ORUK ids for our slugs, and the schema validators."""

from __future__ import annotations

import uuid

import pytest

from mle.oruk.feed import from_v1, validate
from mle.oruk.ids import is_uuid, oruk_id
from mle.oruk.import_result import RecordInvalid
from mle.oruk.schemas import errors
from mle.oruk.text import html_to_text


@pytest.mark.parametrize(("html", "text"), [
    ("<p><br></p>", ""),
    ("<h4>Young&nbsp;people</h4><p>Fish &amp; chips</p>", "Young people\nFish & chips"),
    ('<p>Call <a href="javascript:alert(1)">us</a></p><script>alert(2)</script>', "Call us"),
    ("&lt;script&gt;alert(3)&lt;/script&gt;Hello", "Hello"),
    ("<img src=x onerror=alert(4)>Under 5s: ages < 5", "Under 5s: ages < 5"),
    ("<p>One</p>\n\n\n<p>Two</p>", "One\n\nTwo"),
    (None, ""),
])
def test_html_becomes_safe_plain_text(html, text):
    assert html_to_text(html) == text


def test_slugs_get_stable_uuids_and_uuids_are_kept():
    published = oruk_id("service", "carers-uk-helpline")
    assert is_uuid(published) and published == oruk_id("service", "carers-uk-helpline")
    assert published != oruk_id("organization", "carers-uk-helpline")
    own = str(uuid.uuid4())
    assert oruk_id("service", own) == own
    assert oruk_id("service", None) is None


def test_the_validators_check_formats_and_references():
    good = {"id": str(uuid.uuid4()), "name": "A", "status": "active",
            "contacts": [{"id": "not-a-uuid"}], "url": "www.example.org",
            "email": "nobody", "last_modified": "yesterday"}
    found = errors("service", good)
    assert "contacts/0/id: 'not-a-uuid' is not a 'uuid'" in found
    assert "url: 'www.example.org' is not a 'uri'" in found
    assert "email: 'nobody' is not a 'email'" in found
    assert any(e.startswith("last_modified:") for e in found)


def test_v1_records_are_shaped_for_oruk_3():
    record = {"id": str(uuid.uuid4()), "name": "Group", "description": "<p>Hi</p>",
              "url": "", "email": "", "status": "active", "deliverable_type": "",
              "pc_metadata": {"date_modified": "2024-01-02"}, "pc_targetAudience": [],
              "organization": {"id": str(uuid.uuid4()), "name": "Org", "url": "http://a.b",
                               "description": "", "logo": "", "uri": ""}}
    shaped = validate(record)
    assert "deliverable_type" not in shaped and "pc_metadata" not in shaped
    assert "url" not in shaped and shaped["last_modified"] == "2024-01-02T00:00:00Z"
    assert shaped["organization"] == {"id": record["organization"]["id"], "name": "Org",
                                      "website": "http://a.b", "description": ""}
    assert from_v1(record)["organization"]["website"] == "http://a.b"
    with pytest.raises(RecordInvalid, match="no organization is given"):
        validate({**record, "organization": None})
    with pytest.raises(RecordInvalid, match="name: the service has no name"):
        validate({**record, "name": "  "})
