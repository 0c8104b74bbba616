"""An error report says where the code failed, never who was using it."""

from mle.error_reporting import scrub_event


def test_a_report_keeps_nothing_personal():
    event = {"request": {"url": "https://mle.example.gov.uk/resume/tok123abc?postcode=ML1+1AB",
                         "method": "POST", "data": {"email": "someone@example.com"},
                         "cookies": {"mle_session": "abc"}, "query_string": "postcode=ML1+1AB",
                         "headers": {"Cookie": "mle_session=abc", "User-Agent": "Firefox",
                                     "X-Forwarded-For": "81.2.69.160", "X-Request-ID": "r1"}},
             "user": {"ip_address": "81.2.69.160"}, "message": "boom"}
    scrubbed = scrub_event(event)
    assert scrubbed["request"] == {"url": "https://mle.example.gov.uk/resume/[redacted]",
                                   "method": "POST",
                                   "headers": {"User-Agent": "Firefox", "X-Request-ID": "r1"}}
    assert "user" not in scrubbed and scrubbed["message"] == "boom"
