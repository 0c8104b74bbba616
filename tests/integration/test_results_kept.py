"""Results people keep: print and large print, the PDF, the result by email through the outbox,
the short link and QR code, save and resume by emailed link, and every way they refuse."""

from __future__ import annotations

import io
import logging
import re
from datetime import UTC, datetime, timedelta

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from sqlalchemy import select

from mle.cli import mle_cli
from mle.database import db
from mle.i18n.bidi import LRI, PDI
from mle.mail.outbox import send_due
from mle.models import Assessment, AuditEvent, OutboxMessage, ResultLink
from mle.security.encryption import decrypt_json
from tests.journeys import answer_questions, begin, complete
from tests.mail import body_of
from tests.pages import CheckedClient
from tests.staff import make_staff, sign_in

BATH_BOARD = {"bathing": {"wash_where": "bath", "can_step_over": "no", "can_lift_legs": "yes",
                          "bath_inner_width_cm": "62"},
              "carer": {"gets_break": "never", "caring_affects": ["money", "mood"]}}
ADDRESS = "morag.kept@example.org"
WHY_THIS_EMAIL = "You are getting this email because someone entered this address on"


def finished(client, content, **about):
    return complete(client, content, ["bathing", "carer"], BATH_BOARD, **about)


def headings(result) -> tuple[list[str], list[str]]:
    """Advice titles and service names as the result page shows them."""
    advice, services = [], []
    for group in result.soup.select(".mle-result-section details"):
        kind = re.sub(r" \(\d+\)$", "", " ".join(group.summary.get_text().split()))
        names = [" ".join(tag.get_text().split()) for tag in group.find_all("h5")]
        if kind == "Things you can try":
            advice += names
        elif kind == "Services that could help":
            services += names
    assert advice and services, "the journey should give both advice and services"
    return advice, services


def link(result, text: str) -> str:
    return result.soup.find("a", string=re.compile(re.escape(text)))["href"]


def pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())
    return reader, text


def short_path(page) -> str:
    address = page.soup.select_one("#short-link").get_text().strip()
    return re.sub(r"^https?://[^/]+", "", address)


# Print and large print ------------------------------------------------------------------

def test_the_print_layout_has_the_result_a_qr_code_and_a_large_print_version(client, content):
    result = finished(client, content)
    advice, services = headings(result)
    printable = client.get(link(result, "Printable version"))
    assert printable.h1 == "Your results to print"
    for title in advice + services:
        assert title in printable.text
    qr = printable.soup.select_one("svg.mle-qr")
    assert qr["role"] == "img" and short_path(printable) in qr["aria-label"]
    assert printable.soup.find("a", href=re.compile("/ask/")) is None  # nothing to act on
    assert "mle-large-print" not in (printable.soup.html.get("class") or [])
    large = client.get(link(result, "Large print version"))
    assert large.h1 == "Your results in large print"
    assert "mle-large-print" in large.soup.html["class"]
    assert short_path(large) == short_path(printable)  # one link, however often it is printed


def test_the_result_page_itself_prints_with_the_short_link(client, content):
    result = finished(client, content)
    assert result.soup.select_one(".mle-print-only #short-link") is not None


# PDF ------------------------------------------------------------------------------------

def test_the_pdf_holds_the_advice_and_the_services(client, content):
    result = finished(client, content)
    advice, services = headings(result)
    response = client.get(link(result, "Download your results as a PDF"))
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader, text = pdf_text(response.data)
    for title in advice + services:
        assert title in text, title
    assert short_path(result).split("/")[-1] in text
    assert reader.trailer["/Root"].get("/Lang") == "en"
    assert "/StructTreeRoot" in reader.trailer["/Root"]  # tagged for screen readers


def test_the_pdf_in_urdu_is_right_to_left_in_an_arabic_script_font(client, content):
    client.get("/?lang=ur")
    result = finished(client, content)
    assert result.soup.html["dir"] == "rtl"
    response = client.get(result.soup.select("#keep-results a")[2]["href"])
    reader, text = pdf_text(response.data)
    assert reader.trailer["/Root"].get("/Lang") == "ur"
    assert "آپ کے نتائج" in text  # "Your results" from the Urdu catalogue
    fonts = {str(font.get_object()["/BaseFont"]) for page in reader.pages
             for font in page["/Resources"]["/Font"].values()}
    assert any("NotoNaskhArabic" in font.replace("-", "") for font in fonts), fonts


def test_a_large_print_pdf_is_a_separate_file(client, content):
    result = finished(client, content)
    address = link(result, "Download your results as a PDF")
    standard = client.get(address)
    large = client.get(address + "?size=large")
    assert "large-print" in large.headers["Content-Disposition"]
    assert len(PdfReader(io.BytesIO(large.data)).pages) > len(
        PdfReader(io.BytesIO(standard.data)).pages)


# Email ----------------------------------------------------------------------------------

def test_the_result_by_email_reaches_the_mail_server_with_advice_and_services(
        client, app, content, mail_server, caplog):
    caplog.set_level(logging.DEBUG)
    result = finished(client, content)
    advice, services = headings(result)
    form = client.get(link(result, "Email your results"))
    assert form.h1 == "Email your results"
    sent = send_email(client, form.response.request.path)
    assert sent.location == "/result?emailed=1"
    assert "We are sending your results by email" in client.get(sent.location).text
    with app.app_context():
        queued = db.session.scalars(select(OutboxMessage)).one()
        assert ADDRESS.encode() not in queued.to and decrypt_json(queued.to) == ADDRESS
        report = send_due()
        assert report.sent == 1
        kept = db.session.scalars(select(OutboxMessage)).one()
        assert decrypt_json(kept.to) == "" and decrypt_json(kept.body) == ""  # blanked
    message = mail_server.messages[0]
    assert message["To"] == ADDRESS and "Your results" in message["Subject"]
    body = " ".join(body_of(message).split())
    for title in advice + services:
        assert title in body, title
    assert short_path(result) in body
    assert WHY_THIS_EMAIL in body and "We do not keep this address." in body
    assert ADDRESS not in caplog.text


def test_a_wrong_email_address_is_explained(client, content):
    result = finished(client, content)
    address = link(result, "Email your results")
    form = client.get(address)
    page = client.post(address, {"csrf_token": form.csrf_token, "email": "not an address"},
                       expect=200)
    assert page.error_summary() == [
        "Enter an email address in the correct format, like name@example.com"]


def send_email(client, address: str, to: str = ADDRESS, expect: int = 302):
    """Enter the address, then confirm it on the next page and press Send."""
    entered = client.post(address, {"csrf_token": client.get(address).csrf_token,
                                    "email": to})
    confirm = client.get(entered.location)
    return client.post(entered.location, {"csrf_token": confirm.csrf_token}, expect=expect)


def test_nothing_is_sent_until_the_address_is_confirmed_on_the_page(client, app, content):
    result = finished(client, content)
    address = link(result, "Email your results")
    entered = client.post(address, {"csrf_token": client.get(address).csrf_token,
                                    "email": ADDRESS})
    assert entered.location == address + "/confirm"
    confirm = client.get(entered.location)
    assert confirm.h1 == "Check the email address"
    assert ADDRESS in confirm.soup.select_one(".govuk-summary-list").get_text()
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0
    again = client.get(confirm.soup.select_one(".govuk-summary-list__actions a")["href"])
    assert again.soup.select_one("input[name=email]")["value"] == ADDRESS
    client.post(entered.location, {"csrf_token": confirm.csrf_token})
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 1
    # Sent once: the address is gone from the session, so the button cannot send it again.
    assert client.get(entered.location, expect=302).location == address


def test_the_address_waits_in_the_session_encrypted_and_goes_once_sent(client, app, content):
    result = finished(client, content)
    address = link(result, "Email your results")
    client.post(address, {"csrf_token": client.get(address).csrf_token, "email": ADDRESS})
    cookie = client.client.get_cookie("mle_session").value
    assert "morag" not in _session_text(app, cookie)
    send_email(client, address)
    cookie = client.client.get_cookie("mle_session").value
    assert "email_to_confirm" not in _session_text(app, cookie)


def _session_text(app, cookie: str) -> str:
    """The session cookie as the server reads it: signed, not secret."""
    serializer = app.session_interface.get_signing_serializer(app)
    return str(serializer.loads(cookie))


def test_a_confirmation_without_an_address_or_csrf_sends_nothing(client, app, content):
    result = finished(client, content)
    address = link(result, "Email your results")
    assert client.get(address + "/confirm", expect=302).location == address
    client.post(address, {"csrf_token": client.get(address).csrf_token, "email": ADDRESS})
    client.post(address + "/confirm", {}, expect=400)  # no CSRF token
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0


def test_email_sending_is_rate_limited_per_sender(client, app, content):
    result = finished(client, content)
    address = link(result, "Email your results")
    for number in range(5):
        send_email(client, address, to=f"person{number}@example.org")
    entered = client.post(address, {"csrf_token": client.get(address).csrf_token,
                                    "email": "person5@example.org"})
    token = client.get(entered.location).csrf_token
    refused = client.post(entered.location, {"csrf_token": token}, expect=429)
    assert refused.h1 == "Too many tries"
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 5


def test_one_address_gets_at_most_three_emails_a_day_whoever_asks(app, content):
    senders = [CheckedClient(app.test_client()) for _ in range(4)]
    for number, sender in enumerate(senders):
        result = finished(sender, content)
        # The same inbox, however its address is written.
        to = ADDRESS.upper() if number % 2 else ADDRESS
        sent = send_email(sender, link(result, "Email your results"), to=to,
                          expect=429 if number == 3 else 302)
    assert sent.h1 == "We cannot send this email"
    assert "Try again tomorrow" in sent.text
    assert ADDRESS not in sent.text.lower()
    assert sent.response.headers["Cache-Control"] == "no-store"
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 3
    # Another address is not affected, and a resume link counts against the same limit.
    result = finished(senders[3], content)
    send_email(senders[3], link(result, "Email your results"), to="someone.else@example.org")
    refused = save_by_email(senders[3], expect=429)
    assert refused.h1 == "We cannot send this email"


# Refusals -------------------------------------------------------------------------------

def test_a_pdf_or_email_of_another_assessment_is_refused(client, app, content):
    first = finished(client, content)
    pdf, email = (link(first, "Download your results as a PDF"),
                  link(first, "Email your results"))
    token = client.get(email).csrf_token
    finished(client, content)  # the same browser goes on to someone else's assessment
    refused = client.get(pdf, expect=403)
    assert refused.h1 == "These are not the results open in this browser"
    client.post(email, {"csrf_token": token, "email": ADDRESS}, expect=403)
    client.post(email + "/confirm", {"csrf_token": token}, expect=403)
    client.get("/result/0000000000000000/pdf", expect=403)
    with app.app_context():
        assert db.session.query(OutboxMessage).count() == 0


def test_a_pdf_or_email_of_an_expired_assessment_is_refused(client, app, content):
    result = finished(client, content)
    pdf, email = (link(result, "Download your results as a PDF"),
                  link(result, "Email your results"))
    expire_all(app)
    assert client.get(pdf, expect=410).h1 == "These results are no longer available"
    client.get(email, expect=410)


def expire_all(app):
    with app.app_context():
        for assessment in db.session.scalars(select(Assessment)):
            assessment.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()


# The short link -------------------------------------------------------------------------

def test_the_short_link_opens_the_result_read_only_in_another_browser(app, client, content):
    result = finished(client, content)
    advice, services = headings(result)
    path = short_path(result)
    assert re.fullmatch(r"/r/[A-Za-z0-9_-]{12}", path)  # a random token and nothing else
    other = CheckedClient(app.test_client())
    shared = other.get(path)
    assert shared.h1 == "Saved results"
    for title in advice + services:
        assert title in shared.text
    assert shared.soup.find("form", attrs={"method": "post"}) is None  # nothing to change
    assert shared.soup.find("a", href=re.compile(r"^/result")) is None
    other.get("/result", expect=302)  # it opened nothing in that browser's session
    assert "mle-large-print" in other.get(path + "?size=large").soup.html["class"]
    with app.app_context():
        link_row = db.session.scalars(select(ResultLink)).one()
        assert path.split("/")[-1].encode() not in link_row.token


@pytest.mark.parametrize("token", ["AAAAAAAAAAAA", "short", "A" * 200, "AAAA.AAAAAAA"])
def test_an_unknown_short_link_is_not_found(client, token):
    assert client.get(f"/r/{token}", expect=404).h1 == "Page not found"


def test_a_short_link_expires_with_its_assessment_and_goes_when_it_is_purged(
        app, client, content):
    path = short_path(finished(client, content))
    expire_all(app)
    gone = CheckedClient(app.test_client()).get(path, expect=410)
    assert gone.h1 == "These results are no longer available"
    with app.app_context():
        result = CliRunner().invoke(mle_cli, ["purge", "--yes"])
    assert "result and resume links deleted: 1" in result.output
    with app.app_context():
        assert db.session.query(ResultLink).count() == 0
    CheckedClient(app.test_client()).get(path, expect=404)


# Save and resume by emailed link --------------------------------------------------------

def emailed_link(app) -> str:
    with app.app_context():
        message = db.session.scalars(select(OutboxMessage).order_by(
            OutboxMessage.id.desc())).first()
        body = decrypt_json(message.body)
    return re.search(r"https?://\S+(/resume/\S+)", body).group(1)


def save_by_email(client, expect: int = 302):
    save = client.get("/save")
    form = client.get(save.soup.find("a", string="Get a link by email instead")["href"])
    entered = client.post("/save/email", {"csrf_token": form.csrf_token, "email": ADDRESS})
    assert entered.location == "/save/email/confirm"
    confirm = client.get(entered.location)
    assert confirm.h1 == "Check the email address" and ADDRESS in confirm.text
    sent = client.post(entered.location, {"csrf_token": confirm.csrf_token}, expect=expect)
    if expect == 302:
        assert client.get(sent.location).h1 == "Check your email"
    return sent


def test_save_and_resume_by_emailed_link(app, client, content, mail_server):
    begin(client)
    client.submit("/topics", {"topics": ["bathing"]})
    save_by_email(client)
    path = emailed_link(app)
    assert re.fullmatch(r"/resume/[A-Za-z0-9_-]{12}", path)
    with app.app_context():
        send_due()
    assert path in body_of(mail_server.messages[0])
    assert WHY_THIS_EMAIL in " ".join(body_of(mail_server.messages[0]).split())
    later = CheckedClient(app.test_client())
    page = later.get(path)
    assert page.h1 == "Return to your saved answers"
    opened = later.post(path, {"csrf_token": page.csrf_token})
    assert opened.location == "/check-answers"
    answer_questions(later, content)
    later.submit("/check-answers")
    assert later.get("/result").h1 == "Your results"


def test_a_new_emailed_link_replaces_the_last_and_links_expire(app, client, content):
    begin(client)
    save_by_email(client)
    first = emailed_link(app)
    save_by_email(client)
    second = emailed_link(app)
    assert first != second
    CheckedClient(app.test_client()).get(first, expect=404)
    with app.app_context():
        link_row = db.session.scalars(select(ResultLink).where(
            ResultLink.purpose == "resume")).one()
        link_row.expires_at = datetime.now(UTC) - timedelta(minutes=1)
        db.session.commit()
    refused = CheckedClient(app.test_client()).get(second, expect=410)
    assert refused.h1 == "These results are no longer available"
    CheckedClient(app.test_client()).get("/resume/AAAAAAAAAAAA", expect=404)


def test_resuming_by_link_is_rate_limited_like_codes(app, client, content):
    begin(client)
    save_by_email(client)
    path = emailed_link(app)
    other = CheckedClient(app.test_client())
    token = other.get(path).csrf_token
    allowed = [other.client.post(path, data={"csrf_token": token}).status_code
               for _ in range(10)]
    assert 429 not in allowed
    assert other.client.post(path, data={"csrf_token": token}).status_code == 429


# An assessor acting for a person ---------------------------------------------------------

def test_an_assessor_can_email_the_result_and_it_is_audited(app, content):
    staff = CheckedClient(app.test_client())
    user_id = make_staff(app, ["assessor"], team="occupational-therapy")
    sign_in(staff, app, user_id)
    staff.submit("/staff/assisted/new", {"how": "phone", "agreed": "y"})
    staff.submit("/about-you", {"answering_for": "self", "age_band": "65_74",
                                "postcode": "ML5 2QT"})
    staff.submit("/topics", {"topics": ["bathing"]})
    answer_questions(staff, content, BATH_BOARD)
    staff.submit("/check-answers")
    result = staff.get("/result")
    address = link(result, "Email your results")
    entered = staff.submit(address, {"email": ADDRESS})
    staff.submit(entered.location)
    assert staff.get(link(result, "Download your results as a PDF")).mimetype == \
        "application/pdf"
    with app.app_context():
        actions = [e.action for e in db.session.scalars(select(AuditEvent))]
        details = [e.details for e in db.session.scalars(select(AuditEvent))]
    assert "assessment.result_emailed" in actions and "assessment.result_pdf" in actions
    assert ADDRESS not in str(details)


def test_the_email_in_urdu_keeps_numbers_and_the_link_left_to_right(
        client, app, content, mail_server):
    # Plain text has no markup: Unicode isolates keep "0808 808 7777" from reading backwards.
    client.get("/?lang=ur")
    result = finished(client, content)
    send_email(client, result.soup.find("a", href=re.compile(r"^/result/[^/]+/email$"))["href"])
    with app.app_context():
        assert send_due().sent == 1
    body = body_of(mail_server.messages[0])
    grouped = re.findall(r".?\d+(?: \d+)+.?", body)
    assert grouped, "the result should hold a phone number written in groups"
    for number in grouped:
        assert number.startswith(LRI) and number.endswith(PDI), repr(number)
    assert f"{LRI}http" in body  # the short link


def test_the_email_in_english_has_no_direction_marks(client, app, content, mail_server):
    result = finished(client, content)
    form = client.get(link(result, "Email your results"))
    send_email(client, form.response.request.path)
    with app.app_context():
        assert send_due().sent == 1
    body = body_of(mail_server.messages[0])
    assert re.search(r"\d+ \d+", body) and LRI not in body and PDI not in body
