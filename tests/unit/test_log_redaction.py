"""Link tokens and postcodes are taken out of request lines before they are logged."""

from __future__ import annotations

import logging

import pytest

from mle.log_redaction import redact_line, redact_target
from mle.logging_setup import GUNICORN_LOGGING, RedactRequestLines


@pytest.mark.parametrize(("target", "redacted"), [
    ("/r/Ab3_-xYz9", "/r/[redacted]"),
    ("/r/Ab3_-xYz9?size=large", "/r/[redacted]?size=large"),
    ("/resume/Zz9-8_7", "/resume/[redacted]"),
    ("/staff/set-password/tok.en-123", "/staff/set-password/[redacted]"),
    ("/result/0123456789abcdef/pdf?size=large", "/result/[redacted]/pdf?size=large"),
    ("/result/0123456789abcdef/email", "/result/[redacted]/email"),
    ("/directory/search?q=drink+problem&where=ML1+1AB",
     "/directory/search?q=[redacted]&where=[redacted]"),
    ("/directory/topic/carer-support?where=Wishaw",
     "/directory/topic/carer-support?where=[redacted]"),
    ("/api/oruk/service_at_locations?postcode=ML2%207AA&proximity=1000",
     "/api/oruk/service_at_locations?postcode=[redacted]&proximity=1000"),
    ("/api/oruk/services?search=dementia&page=2", "/api/oruk/services?search=[redacted]&page=2"),
    ("/anything?near=G1", "/anything?near=[redacted]"),
    ("/anything?POSTCODE=g11aa", "/anything?POSTCODE=[redacted]"),
    # A postcode under any other name, or in the path, in any spelling.
    ("/anything?from=ML1%201AB&page=2", "/anything?from=[redacted]&page=2"),
    ("/anything?from=ml11ab", "/anything?from=[redacted]"),
    ("/anything?from=My+house+EH1+1YZ", "/anything?from=My+house+[redacted]"),
    ("/place/ML1%201AB/services", "/place/[redacted]/services"),
    ("/place/g11aa", "/place/[redacted]"),
])
def test_tokens_and_postcodes_are_redacted(target, redacted):
    assert redact_target(target) == redacted


@pytest.mark.parametrize("target", [
    "/", "/start", "/result/print", "/result/request/MLE-7K2Q", "/questions/alcohol/units",
    "/static/build/mle.css", "/api/oruk/services/3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "/directory/service/carers-uk-helpline", "/staff/queue/12", "/staff/reports?period=2026-q1",
    "/r/", "/resume",
])
def test_other_paths_are_left_alone(target):
    assert redact_target(target) == target


def test_a_gunicorn_access_line_is_redacted_in_the_request_and_the_referrer():
    line = ('10.0.0.1 - - [07/Dec/2026:10:00:00 +0000] "GET /resume/s3cret HTTP/1.1" 200 512 '
            '"https://mle.example/r/an0ther?postcode=ML1+1AB" "Mozilla/5.0 (X11; Linux x86_64)"')
    assert redact_line(line) == (
        '10.0.0.1 - - [07/Dec/2026:10:00:00 +0000] "GET /resume/[redacted] HTTP/1.1" 200 512 '
        '"https://mle.example/r/[redacted]?postcode=[redacted]" '
        '"Mozilla/5.0 (X11; Linux x86_64)"')


def test_a_werkzeug_line_with_colours_is_redacted():
    line = '127.0.0.1 - - [07/Dec/2026 10:00:00] "\x1b[33mGET /r/s3cret HTTP/1.1\x1b[0m" 404 -'
    assert "s3cret" not in redact_line(line)
    assert "GET /r/[redacted] HTTP/1.1" in redact_line(line)


def test_a_line_without_requests_is_unchanged():
    line = "[2026-12-07 10:00:00 +0000] [42] [INFO] Booting worker with pid: 42"
    assert redact_line(line) == line


def test_the_filter_rewrites_a_record_with_arguments():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, '%s - - "%s" %s %s',
                               ("127.0.0.1", "GET /staff/set-password/s3cret HTTP/1.1", "200",
                                "-"), None)
    assert RedactRequestLines().filter(record) is True
    assert record.getMessage() == '127.0.0.1 - - "GET /staff/set-password/[redacted] HTTP/1.1"' \
                                  ' 200 -'


def test_the_filter_passes_a_malformed_record_on():
    record = logging.LogRecord("werkzeug", logging.INFO, __file__, 1, "%s %s", ("one",), None)
    assert RedactRequestLines().filter(record) is True


def test_gunicorns_logging_configuration_redacts_every_handler():
    for handler in GUNICORN_LOGGING["handlers"].values():
        assert "redact" in handler["filters"]
    assert GUNICORN_LOGGING["filters"]["redact"]["()"] is RedactRequestLines
    for name in ("gunicorn.access", "gunicorn.error"):
        assert GUNICORN_LOGGING["loggers"][name]["handlers"]
