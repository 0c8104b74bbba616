"""Hostile input: random and malformed values in every form field, query parameter and path
segment of the public pages and staff sign-in, oversize bodies, wrong methods and broken
encodings. Whatever arrives, the answer is never a 5xx, and any page shown is a proper page
(valid HTML, one heading, a CSP nonce): the friendly error pages, not a stack trace.

Property-based with Hypothesis; the example counts are kept small so the file runs in CI in
well under two minutes. Run on PostgreSQL too (DATABASE_URL): it rejects some values SQLite
accepts, such as NUL characters in text.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mle.extensions import limiter
from tests.conftest import load_test_content
from tests.journeys import default_answer
from tests.pages import check_page
from tests.staff import email_of, make_staff

CONTENT = load_test_content()
FUZZ = settings(max_examples=20, deadline=None, derandomize=False,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

# Values people and bots actually send: injection attempts, control characters, numbers that
# are not numbers, lookalike characters, very long text.
NASTY = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\r\n", "\t", "%00", "%ff", "\ufeff", "\u202e", "\uffff",
    "\U0001f600", "ＭＬ１ １ＡＢ", "ml1 1ab\x00", "ß", "İ", "<script>alert(1)</script>",
    "' OR 1=1 --", "\"; DROP TABLE assessment; --", "{{7*7}}", "${7*7}", "../../etc/passwd",
    "NaN", "nan", "Infinity", "-Infinity", "-0", "1e400", "1e-400", "1e999999999",
    "9" * 400, "0x10", "1_000", "½", "٣", "null", "None", "true", "[]", "{}",
    "x" * 5000, "a@b", "@", "a" * 70 + "@" + "b" * 300 + ".com",
])
VALUES = st.one_of(NASTY, st.text(max_size=120), st.integers().map(str),
                   st.floats().map(str))
FIELD_VALUES = st.one_of(VALUES, st.lists(VALUES, min_size=2, max_size=4))
QUERY_KEYS = ["lang", "where", "q", "change", "feedback", "password_set", "next", "period"]
QUERIES = st.dictionaries(st.one_of(st.sampled_from(QUERY_KEYS), st.text(min_size=1,
                                                                         max_size=20)),
                          FIELD_VALUES, max_size=4)

def check_response(response, path: str) -> None:
    """No 5xx; every HTML page a well-formed page of the service."""
    assert response.status_code < 500, f"{response.status_code} for {path}"
    if response.mimetype == "text/html" and response.status_code not in (204, 301, 302, 303):
        check_page(response)


def csrf_token(response) -> str:
    import re

    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"',
                      response.get_data(as_text=True))
    if match is None:
        match = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
    assert match, "no CSRF token on the page"
    return match.group(1)


@pytest.fixture
def no_limits(monkeypatch):
    """Rate limits answer 429, which is correct but stops a fuzzer after a few examples."""
    monkeypatch.setattr(limiter, "enabled", False)


def started(app):
    """A fresh browser with an assessment under way (who and age given, nothing else)."""
    client = app.test_client()
    token = csrf_token(client.get("/"))
    assert client.post("/start", data={"csrf_token": token}).status_code == 302
    page = client.get("/about-you")
    response = client.post("/about-you", data={"csrf_token": csrf_token(page),
                                               "answering_for": "self", "age_band": "65_74"})
    assert response.status_code == 302
    return client


def post_form(client, path: str, fields: dict, with_token: bool = True, **kwargs):
    data = dict(fields)
    if with_token:
        page = client.get(path)
        check_response(page, path)
        if page.status_code == 200 and "csrf_token" in page.get_data(as_text=True):
            data["csrf_token"] = csrf_token(page)
    response = client.post(path, data=data, **kwargs)
    check_response(response, path)
    return response


# Forms ---------------------------------------------------------------------------------------

# A form post moves on (redirect), shows the form again with its errors, or is refused.
FORM_OUTCOMES = {200, 302, 303, 400, 429}


def handled(response, with_token: bool) -> bool:
    """A handled outcome; a post without its CSRF token is always refused (400), never taken."""
    if not with_token:
        return response.status_code == 400
    return response.status_code in FORM_OUTCOMES

@FUZZ
@given(answering_for=FIELD_VALUES, age_band=FIELD_VALUES, postcode=FIELD_VALUES,
       query=QUERIES, with_token=st.booleans())
def test_about_you_survives_anything(app, no_limits, answering_for, age_band, postcode, query,
                                     with_token):
    client = started(app)
    path = "/about-you?" + _encode(query)
    response = post_form(client, path, {"answering_for": answering_for, "age_band": age_band,
                                        "postcode": postcode}, with_token)
    assert handled(response, with_token)


@FUZZ
@given(topics=st.one_of(FIELD_VALUES, st.lists(st.sampled_from(list(CONTENT.modules)),
                                               max_size=4)),
       extra=st.dictionaries(st.text(min_size=1, max_size=20), FIELD_VALUES, max_size=3),
       with_token=st.booleans())
def test_topics_survive_anything(app, no_limits, topics, extra, with_token):
    client = started(app)
    assert handled(post_form(client, "/topics", {**extra, "topics": topics}, with_token),
                   with_token)


@pytest.mark.parametrize("module_id", sorted(CONTENT.modules))
@settings(FUZZ, max_examples=2)
@given(data=st.data())
def test_every_question_survives_anything(app, no_limits, module_id, data):
    """Walk a module's route; at every question send hostile answers, then a fair one."""
    client = started(app)
    post_form(client, "/topics", {"topics": [module_id]})
    location = client.get("/check-answers").location
    for _ in range(40):
        if location.endswith("/check-answers"):
            break
        _module, question_id = location.rstrip("/").split("/")[-2:]
        question = CONTENT.module(module_id).question(question_id)
        path = location + ("?" + _encode(data.draw(QUERIES)) if data.draw(st.booleans()) else "")
        post_form(client, path, {"answer": data.draw(FIELD_VALUES),
                                 **data.draw(st.dictionaries(st.text(min_size=1, max_size=10),
                                                             VALUES, max_size=2))},
                  data.draw(st.booleans()))
        response = post_form(client, location, {"answer": default_answer(question)})
        assert response.status_code == 302, f"a fair answer to {location} was refused"
        location = response.location
    check = client.get("/check-answers")
    check_response(check, "/check-answers")
    post_form(client, "/check-answers", data.draw(st.dictionaries(
        st.sampled_from(["submit", "answer", "x"]), FIELD_VALUES, max_size=2)))
    check_response(client.get("/result"), "/result")


@FUZZ
@given(helpful=FIELD_VALUES, next_steps=FIELD_VALUES, query=QUERIES, with_token=st.booleans())
def test_result_feedback_survives_anything(app, no_limits, finished_client, helpful, next_steps,
                                           query, with_token):
    response = post_form(finished_client, "/result?" + _encode(query),
                         {"helpful": helpful, "next_steps": next_steps}, with_token)
    assert handled(response, with_token)


@pytest.fixture
def finished_client(app, no_limits):
    client = started(app)
    module = next(iter(CONTENT.modules))
    post_form(client, "/topics", {"topics": [module]})
    location = client.get("/check-answers").location
    while not location.endswith("/check-answers"):
        _m, question_id = location.rstrip("/").split("/")[-2:]
        question = CONTENT.module(module).question(question_id)
        location = post_form(client, location, {"answer": default_answer(question)}).location
    post_form(client, "/check-answers", {})
    return client


@FUZZ
@given(code=FIELD_VALUES, fields=st.dictionaries(st.text(min_size=1, max_size=10), VALUES,
                                                 max_size=2), with_token=st.booleans())
def test_save_and_resume_survive_anything(app, no_limits, code, fields, with_token):
    client = started(app)
    assert handled(post_form(client, "/save", fields, with_token), with_token)
    fresh = app.test_client()
    assert handled(post_form(fresh, "/resume", {**fields, "code": code}, with_token), with_token)


@FUZZ
@given(kind=FIELD_VALUES, details=FIELD_VALUES, with_token=st.booleans())
def test_problem_report_survives_anything(app, no_limits, kind, details, with_token):
    client = app.test_client()
    response = post_form(client, "/local-information/service/carers-uk-helpline/report",
                         {"kind": kind, "details": details}, with_token)
    assert handled(response, with_token)


@FUZZ
@given(email=FIELD_VALUES, password=FIELD_VALUES, code=FIELD_VALUES, with_token=st.booleans(),
       real_email=st.booleans())
def test_staff_sign_in_survives_anything(app, no_limits, staff_user, email, password, code,
                                         with_token, real_email):
    client = app.test_client()
    if real_email:
        email = email_of(app, staff_user)
    response = post_form(client, "/staff/sign-in", {"email": email, "password": password},
                         with_token)
    assert handled(response, with_token)
    assert handled(post_form(client, "/staff/sign-in/code", {"code": code}, with_token),
                   with_token)


@pytest.fixture
def staff_user(app):
    return make_staff(app, ["editor"])


# Query strings and path segments --------------------------------------------------------------

GET_PAGES = ["/", "/privacy", "/accessibility", "/session-ended", "/resume", "/save",
             "/about-you", "/topics", "/check-answers", "/result", "/local-information/",
             "/local-information/search", "/local-information/topic/money-advice",
             "/local-information/service/carers-uk-helpline",
             "/local-information/service/carers-uk-helpline/report", "/staff/sign-in",
             "/staff/sign-in/code", "/staff/signed-out", "/healthz"]


@pytest.mark.parametrize("path", GET_PAGES)
@settings(FUZZ, max_examples=10)
@given(query=QUERIES)
def test_query_parameters_never_break_a_page(app, path, query):
    client = started(app) if path in ("/about-you", "/topics", "/save") else app.test_client()
    response = client.get(path + "?" + _encode(query))
    check_response(response, path)


PATH_TEMPLATES = ["/questions/{}/{}", "/questions/bathing/{}", "/local-information/topic/{}",
                  "/local-information/service/{}", "/local-information/service/{}/report",
                  "/result/{}/ask/{}", "/result/{}/equipment/{}", "/result/request/{}",
                  "/staff/set-password/{}", "/staff/admin/teams/{}", "/static/{}"]


@pytest.mark.parametrize("template", PATH_TEMPLATES)
@settings(FUZZ, max_examples=10)
@given(segments=st.lists(VALUES, min_size=2, max_size=2), post=st.booleans())
def test_path_segments_never_break_a_page(app, no_limits, template, segments, post):
    client = started(app)
    path = template.format(*(quote(s, safe="") or "x" for s in segments))
    response = client.post(path, data={"x": "y"}) if post else client.get(path)
    check_response(response, path)


# Broken encodings ------------------------------------------------------------------------------

RAW_QUERIES = [b"q=%ff%fe", b"q=\xff\xfe\xfd", b"where=%C0%AF", b"where=\xc3", b"lang=%00",
               b"q=%00&where=%00", b"q=a\x00b", b"lang=\xe2\x80\xae", b"%%%", b"q=%",
               b"=&=&&", b"q=" + b"%ff" * 3000, b"where=ML1%201AB%00", b"change=\x00"]


@pytest.mark.parametrize("raw", RAW_QUERIES)
@pytest.mark.parametrize("path", ["/", "/local-information/search",
                                  "/local-information/topic/money-advice", "/about-you",
                                  "/staff/sign-in", "/resume"])
def test_broken_query_encodings(app, path, raw):
    client = started(app)
    # The WSGI environ carries the raw bytes as a latin-1 string, as a server passes them on.
    response = client.get(path, environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
    check_response(response, path)


@settings(FUZZ, max_examples=40)
@given(raw=st.binary(max_size=300))
def test_any_bytes_as_a_query_string(app, raw):
    client = app.test_client()
    for path in ("/local-information/search", "/local-information/topic/money-advice"):
        response = client.get(path, environ_overrides={"QUERY_STRING": raw.decode("latin-1")})
        check_response(response, path)


RAW_BODIES = [b"answering_for=self&age_band=65_74&postcode=%ff%fe",
              b"answering_for=\xff\xfe&age_band=\xc3&postcode=\xe2\x82",
              b"answering_for=self\x00&age_band=65_74\x00&postcode=ML1\x001AB",
              b"postcode=%00%00", b"\x00\x00\x00", b"%%%%", b"&&&===",
              b"answering_for=" + b"\xff" * 10000]


@pytest.mark.parametrize("body", RAW_BODIES)
@pytest.mark.parametrize("content_type", [
    "application/x-www-form-urlencoded", "application/x-www-form-urlencoded; charset=latin-1",
    "application/x-www-form-urlencoded; charset=nonsense", "multipart/form-data",
    "multipart/form-data; boundary=x", "application/json", "text/plain"])
def test_broken_form_encodings(app, no_limits, body, content_type):
    client = started(app)
    token = csrf_token(client.get("/about-you"))
    for data in (body, b"csrf_token=" + token.encode() + b"&" + body):
        response = client.post("/about-you", data=data, content_type=content_type)
        check_response(response, "/about-you")


@settings(FUZZ, max_examples=30)
@given(body=st.binary(max_size=500), with_token=st.booleans())
def test_any_bytes_as_a_form_body(app, no_limits, body, with_token):
    client = started(app)
    for path in ("/about-you", "/staff/sign-in", "/resume",
                 "/local-information/service/carers-uk-helpline/report"):
        prefix = (b"csrf_token=" + csrf_token(client.get(path)).encode() + b"&"
                  if with_token else b"")
        response = client.post(path, data=prefix + body,
                               content_type="application/x-www-form-urlencoded")
        check_response(response, path)


def test_invalid_utf8_in_a_form_gets_the_forms_own_message(app, no_limits):
    """A %-escaped byte that is not UTF-8 stays as its escape: the postcode is refused with
    the form's message. Raw bytes that are not UTF-8 make the whole body unreadable, which the
    CSRF check answers with its friendly page."""
    client = started(app)
    token = csrf_token(client.get("/about-you")).encode()
    fields = b"&answering_for=self&age_band=65_74&postcode=ML"
    escaped = client.post("/about-you", data=b"csrf_token=" + token + fields + b"%FF1",
                          content_type="application/x-www-form-urlencoded")
    assert escaped.status_code == 200
    assert "Enter a real postcode" in escaped.get_data(as_text=True)
    raw = client.post("/about-you", data=b"csrf_token=" + token + fields + b"\xff1",
                      content_type="application/x-www-form-urlencoded")
    assert raw.status_code == 400
    assert check_page(raw).h1.get_text(strip=True) == "Your session has ended"


def test_raw_bytes_in_a_query_string_are_read_as_a_browser_would_send_them(app):
    client = app.test_client()
    response = client.get("/local-information/search",
                          environ_overrides={"QUERY_STRING": "q=caf\xc3\xa9&where=\xff"})
    page = check_page(response)
    assert page.find("input", attrs={"name": "q"})["value"] == "café"


# Size and method ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/start", "/about-you", "/topics", "/resume",
                                  "/staff/sign-in",
                                  "/local-information/service/carers-uk-helpline/report"])
def test_oversize_bodies_get_the_friendly_413(app, path):
    client = started(app)
    big = {"postcode": "x" * (65 * 1024)}
    response = client.post(path, data=big)
    assert response.status_code == 413
    page = check_page(response)
    assert page.h1.get_text(strip=True) == "Sorry, there is a problem with that request"
    multipart = client.post(path, data={"file": (__import__("io").BytesIO(b"x" * 70000), "a")},
                            content_type="multipart/form-data")
    assert multipart.status_code == 413


def test_an_oversize_body_that_claims_to_be_small_is_refused(app):
    client = started(app)
    body = b"postcode=" + b"x" * (70 * 1024)
    response = client.post("/about-you", data=body, headers={"Content-Length": "100"},
                           content_type="application/x-www-form-urlencoded")
    check_response(response, "/about-you")


WRONG_METHODS = ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"]


def _public_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static" or rule.arguments - {"module_id", "question_id",
                                                          "need_id", "service_id"}:
            continue
        yield rule


def test_wrong_methods_get_a_friendly_405_everywhere(app):
    client = started(app)
    paths = []
    for rule in _public_rules(app):
        path = rule.rule.replace("<module_id>", "bathing").replace(
            "<question_id>", "wash_where").replace("<need_id>", "money-advice").replace(
            "<service_id>", "carers-uk-helpline")
        paths.append((path, rule.methods))
    assert len(paths) > 20
    for path, allowed in paths:
        for method in WRONG_METHODS + ["GET", "POST"]:
            if method in allowed:
                continue
            response = client.open(path, method=method)
            assert response.status_code == 405, f"{method} {path}: {response.status_code}"
            if path.startswith("/api/"):  # the API answers in JSON, pages in HTML
                assert response.get_json()["code"] == 405
            else:
                check_page(response)


# Helpers ----------------------------------------------------------------------------------------

def _encode(query: dict) -> str:
    from urllib.parse import urlencode

    return urlencode({k: v for k, v in query.items()}, doseq=True)
