"""What can happen to a staff account. Views call these; they never touch the models directly."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from flask import current_app
from sqlalchemy import func, select

from mle.extensions import db
from mle.models import AccountLink, StaffUser, Team
from mle.security.audit import audit
from mle.security.encryption import decrypt_json, encrypt_json
from mle.security.passwords import hash_password, verify_password
from mle.vocabulary import ROLES

MAX_FAILED_SIGN_INS = 5
LOCKOUT = timedelta(minutes=15)
LINK_LIFETIME = timedelta(hours=48)


class AccountError(ValueError):
    pass


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    return moment.replace(tzinfo=UTC) if moment and moment.tzinfo is None else moment


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def find_by_email(email: str) -> StaffUser | None:
    return db.session.scalar(
        select(StaffUser).where(StaffUser.email == email.strip().lower()))


def create_user(email: str, name: str, roles: list[str], team_id: str | None = None) -> StaffUser:
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


def update_user(user: StaffUser, roles: list[str], team_id: str | None, active: bool) -> None:
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


def issue_link(user: StaffUser) -> str:
    """A one-time token to set (or reset) the password. Earlier unused links stop working."""
    db.session.execute(
        AccountLink.__table__.delete().where(AccountLink.user_id == user.id,
                                             AccountLink.used_at.is_(None)))
    token = secrets.token_urlsafe(32)
    db.session.add(AccountLink(token_hash=_token_hash(token), user_id=user.id,
                               expires_at=_now() + LINK_LIFETIME))
    audit("account.link_issued", "staff_user", user.id)
    return token


def link_user(token: str) -> StaffUser | None:
    link = db.session.get(AccountLink, _token_hash(token))
    if link is None or link.used_at is not None or _aware(link.expires_at) < _now():
        return None
    return link.user if link.user.active else None


def set_password_with_link(token: str, password: str) -> StaffUser:
    link = db.session.get(AccountLink, _token_hash(token))
    user = link_user(token)
    if user is None:
        raise AccountError("This link has expired or has already been used")
    link.used_at = _now()
    user.password_hash = hash_password(password)
    user.failed_sign_ins, user.locked_until = 0, None
    user.session_token = secrets.token_hex(16)
    audit("account.password_set", "staff_user", user.id, actor_id=user.id)
    return user


@dataclass(frozen=True)
class SignInResult:
    user: StaffUser | None
    locked: bool = False


def authenticate(email: str, password: str) -> SignInResult:
    """Check a sign-in. Failures never say which part was wrong; repeated failures lock."""
    user = find_by_email(email)
    if user is not None and user.locked_until and _aware(user.locked_until) > _now():
        verify_password(None, password)  # same work as any other attempt
        audit("sign_in.refused_locked", "staff_user", user.id, actor_id=user.id)
        return SignInResult(None, locked=True)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                user.locked_until = _now() + LOCKOUT
                user.failed_sign_ins = 0
            audit("sign_in.failed", "staff_user", user.id, actor_id=user.id)
        db.session.commit()
        return SignInResult(None)
    user.failed_sign_ins, user.locked_until = 0, None
    return SignInResult(user)


def record_sign_in(user: StaffUser) -> None:
    user.last_sign_in_at = _now()
    audit("sign_in.succeeded", "staff_user", user.id, actor_id=user.id)
    db.session.commit()


# Second factor -------------------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: StaffUser, secret: str) -> str:
    issuer = current_app.extensions["mle_site"].area.short_name
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=issuer)


def verify_totp(secret: str, code: str) -> bool:
    code = "".join(ch for ch in code or "" if ch.isdigit())
    return len(code) == 6 and pyotp.TOTP(secret).verify(code, valid_window=1)


def user_totp_secret(user: StaffUser) -> str | None:
    return decrypt_json(user.totp_secret) if user.totp_secret else None


def enable_totp(user: StaffUser, secret: str) -> None:
    user.totp_secret = encrypt_json(secret)
    audit("account.totp_enabled", "staff_user", user.id)


def disable_totp(user: StaffUser) -> None:
    user.totp_secret = None
    audit("account.totp_disabled", "staff_user", user.id)


# Teams ---------------------------------------------------------------------------------------

def sync_teams_from_area(area) -> int:
    """Create any team named in area.yaml that the database does not have yet."""
    existing = set(db.session.scalars(select(Team.id)))
    for team in area.teams.values():
        if team.id not in existing:
            db.session.add(Team(id=team.id, name=team.name, kind=team.kind, localities=[]))
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Team))
