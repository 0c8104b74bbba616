"""What can happen to a staff account: it is created, changed, and given one-time links to set
its password. Views and commands call these; they never touch the models directly."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import select

from mle.accounts.clock import aware as _aware
from mle.accounts.clock import now as _now
from mle.accounts.clock import still_to_come
from mle.database import db
from mle.mail.outbox import queue_email
from mle.models import AccountLink, StaffUser
from mle.security.audit import audit
from mle.security.common_passwords import is_common_password
from mle.security.passwords import MIN_LENGTH, hash_password
from mle.site import site
from mle.vocabulary import ROLES

LINK_LIFETIME = timedelta(hours=48)


class AccountError(ValueError):
    pass


class WeakPassword(AccountError):
    """A new password that is too short or on the list of common and breached passwords."""


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(StaffUser.email == email.strip().lower()))


def get_user(user_id: int) -> StaffUser | None:
    return db.session.get(StaffUser, user_id)


def all_users() -> list[StaffUser]:
    return list(db.session.scalars(select(StaffUser).order_by(StaffUser.name)))


def create_user(email: str, name: str, roles: list[str], team_id: str | None = None) -> StaffUser:
    """Add an account to the current transaction; the caller commits it with what goes with it
    (the first set-password link)."""
    email = email.strip().lower()
    if find_by_email(email) is not None:
        raise AccountError("An account with that email address already exists")
    if set(roles) - set(ROLES):
        raise AccountError("Unknown role")
    user = StaffUser(email=email, name=name.strip(), roles=sorted(roles), team_id=team_id or None,
                     session_token=secrets.token_hex(16))
    db.session.add(user)
    db.session.flush()
    audit("account.created", "staff_user", user.id, roles=user.roles, team=user.team_id)
    return user


def invite_user(email: str, name: str, roles: list[str], team_id: str | None) -> StaffUser:
    """Create an account and email its owner a link to set their password, in one commit."""
    user = create_user(email, name, roles, team_id)
    _email_link(user, issue_link(user))
    db.session.commit()
    return user


def change_user(user: StaffUser, name: str, roles: list[str], team_id: str | None,
                active: bool) -> None:
    """Change an account. The audit trail records changes of roles, team and status."""
    if set(roles) - set(ROLES):
        raise AccountError("Unknown role")
    changed = {}
    if sorted(roles) != user.roles:
        changed["roles"] = [user.roles, sorted(roles)]
        user.roles = sorted(roles)
    if (team_id or None) != user.team_id:
        changed["team"] = [user.team_id, team_id or None]
        user.team_id = team_id or None
    if active != user.active:
        changed["active"] = [user.active, active]
        user.active = active
        user.session_token = secrets.token_hex(16)  # a deactivated account is signed out
    if changed:
        audit("account.changed", "staff_user", user.id, **changed)
    user.name = name.strip()
    db.session.commit()


# One-time links to set a password ------------------------------------------------------------

def issue_link(user: StaffUser) -> str:
    """A one-time token to set (or reset) the password. Earlier unused links stop working.
    Added to the current transaction: the caller commits."""
    db.session.execute(
        AccountLink.__table__.delete().where(AccountLink.user_id == user.id,
                                             AccountLink.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(AccountLink(token_hash=_token_hash(token), user_id=user.id,
                               expires_at=_now() + LINK_LIFETIME))
    audit("account.link_issued", "staff_user", user.id)
    return token


def create_user_with_link(email: str, name: str, roles: list[str],
                          team_id: str | None = None) -> tuple[StaffUser, str]:
    """Create an account and a one-time set-password link to hand over in person (the first
    administrator, made from the command line), in one commit."""
    user = create_user(email, name, roles, team_id)
    token = issue_link(user)
    db.session.commit()
    return user, token


def email_new_link(user: StaffUser) -> None:
    """Email the account's owner a new set-password link (a reset): older links stop working."""
    _email_link(user, issue_link(user))
    db.session.commit()


def _email_link(user: StaffUser, token: str) -> None:
    """The link goes to the person themselves: the administrator never sees it."""
    link = current_app.config["MLE_BASE_URL"].rstrip("/") + url_for("staff.set_password",
                                                                    token=token)
    name = site().area.service_name
    queue_email(user.email, f"Set your password for {name}",
                f"Hello {user.name},\n\nUse this link to set your password. It works once, "
                f"for 48 hours:\n{link}\n\nIf you did not expect this, tell your manager.\n")


def link_user(token: str) -> StaffUser | None:
    link = db.session.get(AccountLink, _token_hash(token))
    if link is None or link.used_at is not None or _aware(link.expires_at) < _now():
        return None
    return link.user if link.user.active else None


def set_password_with_link(token: str, password: str) -> StaffUser:
    """Set the password and use up the link; every other session of the account ends."""
    link = db.session.get(AccountLink, _token_hash(token))
    user = link_user(token)
    if user is None:
        raise AccountError("This link has expired or has already been used")
    check_new_password(password)
    link.used_at = _now()
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.locked_until = 0, None
    user.session_token = secrets.token_hex(16)
    audit("account.password_set", "staff_user", user.id, actor_id=user.id)
    db.session.commit()
    return user


def check_new_password(password: str) -> None:
    """Refuse (WeakPassword) a new password that is short or common. The forms say so first,
    in words; this is the rule itself, whoever calls."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword("too short")
    if is_common_password(password):
        raise WeakPassword("too common")


# Sessions and sign-in pauses -----------------------------------------------------------------

def end_sessions(user: StaffUser) -> None:
    """Sign the account out on every browser: each session carries the old token, which no
    longer matches."""
    user.session_token = secrets.token_hex(16)


def sign_out(user: StaffUser) -> None:
    """Signing out ends the session on the server, so a copy of the cookie stops working."""
    end_sessions(user)
    audit("account.signed_out", "staff_user", user.id, actor_id=user.id)
    db.session.commit()


def end_sessions_by_administrator(user: StaffUser) -> None:
    end_sessions(user)
    audit("account.sessions_ended", "staff_user", user.id)
    db.session.commit()


def is_paused(user: StaffUser) -> bool:
    """Whether sign-in with a password or a code is paused after failed attempts."""
    return still_to_come(user.locked_until) or still_to_come(user.code_locked_until)


def unlock(user: StaffUser) -> None:
    """An administrator lifts the pauses and clears the counts of failed passwords and codes."""
    user.failed_sign_ins, user.locked_until = 0, None
    user.code_failures, user.code_locked_until = 0, None
    audit("account.unlocked", "staff_user", user.id)
    db.session.commit()
