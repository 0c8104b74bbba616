"""Email through an outbox table: queued in the same transaction as the change it reports,
delivered later over SMTP with retry and backoff."""

from __future__ import annotations

import contextlib
import smtplib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

from flask import current_app
from sqlalchemy import select

from mle.database import db
from mle.models import OutboxMessage
from mle.security.encryption import decrypt_json, encrypt_json

MAX_BACKOFF = timedelta(hours=6)


def queue_email(to: str, subject: str, body: str) -> OutboxMessage:
    """Add a message to the current transaction; it is sent only if the transaction commits."""
    message = OutboxMessage(to=encrypt_json(to), subject=subject, body=encrypt_json(body))
    db.session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failed attempt, at most six hours."""
    return min(timedelta(minutes=2 ** (attempts - 1)), MAX_BACKOFF)


@dataclass(frozen=True)
class SendReport:
    sent: int
    failed: int
    waiting: int


def _smtp():
    config = current_app.config
    connection = smtplib.SMTP(config["MLE_SMTP_HOST"], config["MLE_SMTP_PORT"], timeout=10)
    if config["MLE_SMTP_STARTTLS"]:
        connection.starttls()
    if config["MLE_SMTP_USER"]:
        connection.login(config["MLE_SMTP_USER"], config["MLE_SMTP_PASSWORD"])
    return connection


def _email(message: OutboxMessage) -> EmailMessage:
    email = EmailMessage()
    email["From"] = current_app.config["MLE_SMTP_FROM"]
    email["To"] = decrypt_json(message.to)
    email["Subject"] = message.subject
    email["Message-ID"] = f"<outbox-{message.id}@{current_app.config['MLE_SMTP_FROM_DOMAIN']}>"
    email.set_content(decrypt_json(message.body))
    return email


def send_due(limit: int = 100, now: datetime | None = None) -> SendReport:
    """Send every message that is due. A message is marked sent only after the server took it."""
    now = now or datetime.now(UTC)
    query = (select(OutboxMessage)
             .where(OutboxMessage.sent_at.is_(None), OutboxMessage.next_attempt_at <= now)
             .order_by(OutboxMessage.id).limit(limit)
             .with_for_update(skip_locked=True))  # several senders never send one twice
    due = list(db.session.scalars(query))
    sent = failed = 0
    connection = None
    for message in due:
        try:
            connection = connection or _smtp()
            connection.send_message(_email(message))
        except (TimeoutError, OSError, smtplib.SMTPException) as error:
            message.attempts += 1
            message.next_attempt_at = now + backoff(message.attempts)
            message.last_error = type(error).__name__  # never the message or the address
            failed += 1
            connection = None
        else:
            # Once the server has it, the address and body go: the row keeps only the subject
            # and times. A resident's address and result are personal data.
            message.to = encrypt_json("")
            message.body = encrypt_json("")
            message.sent_at = now
            message.attempts += 1
            sent += 1
        db.session.commit()
    if connection is not None:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            connection.quit()
    waiting = db.session.scalar(select(db.func.count()).select_from(OutboxMessage)
                                .where(OutboxMessage.sent_at.is_(None)))
    return SendReport(sent, failed, waiting)
