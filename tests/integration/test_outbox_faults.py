"""The mail server goes away in the middle of `flask mle send-outbox`: what it took is marked
sent, what it did not take stays in the outbox, and the next run after it is back delivers the
rest, each message once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from mle.database import db
from mle.mail.outbox import queue_email, send_due
from mle.models import OutboxMessage
from tests.mail import MailServer, _Collector, free_port


class _GoesAway(_Collector):
    """Takes `accept` messages, then refuses with 421 and shuts the server down."""

    def __init__(self, server: MailServer, accept: int):
        super().__init__()
        self.server, self.accept = server, accept

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
        if len(self.messages) >= self.accept:
            threading.Thread(target=self.server.stop).start()
            return "421 4.3.0 Shutting down"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def smtp(app):
    server = MailServer(free_port())
    previous = app.config["MLE_SMTP_PORT"]
    app.config["MLE_SMTP_PORT"] = server.port
    yield server
    server.stop()
    app.config["MLE_SMTP_PORT"] = previous


def test_the_mail_server_stopping_mid_run_loses_nothing(app, smtp):
    smtp.collector = _GoesAway(smtp, accept=2)
    smtp.start()
    with app.app_context():
        for n in range(6):
            queue_email(f"person{n}@example.org", f"Message {n}", f"Body {n}")
        db.session.commit()
        ids = set(db.session.scalars(select(OutboxMessage.id)))

        first = send_due()
        assert (first.sent, first.failed, first.waiting) == (2, 4, 4)
        left = db.session.scalars(select(OutboxMessage).where(
            OutboxMessage.sent_at.is_(None))).all()
        assert len(left) == 4 and all(m.last_error and m.attempts == 1 for m in left)

    smtp.stop()
    smtp.collector.accept = 100  # back, and taking everything
    smtp.start()
    with app.app_context():
        later = send_due(now=datetime.now(UTC) + timedelta(minutes=2))
        assert (later.sent, later.failed, later.waiting) == (4, 0, 0)
        assert db.session.scalar(select(db.func.count()).select_from(OutboxMessage).where(
            OutboxMessage.sent_at.is_(None))) == 0

    delivered = [m["Message-ID"] for m in smtp.messages]
    assert len(delivered) == len(set(delivered)) == 6  # each once
    assert {int(d.split("-")[1].split("@")[0]) for d in delivered} == ids
    assert sorted(m["Subject"] for m in smtp.messages) == [f"Message {n}" for n in range(6)]
