"""Staff accounts, their teams, and one-time links for setting a password."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, BigInteger, Boolean, DateTime, ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from mle.database import db
from mle.models.assessment import utcnow


class Team(db.Model):
    __tablename__ = "team"

    id: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))
    localities: Mapped[list] = mapped_column(JSON, default=list)  # empty: the whole area
    target_days: Mapped[int] = mapped_column(Integer, default=10)  # target time to first action
    inbox_email: Mapped[str | None] = mapped_column(String(200))
    members: Mapped[list[StaffUser]] = relationship(back_populates="team")


class StaffUser(UserMixin, db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(200), unique=True)  # stored lower-case
    name: Mapped[str] = mapped_column(String(120))
    roles: Mapped[list] = mapped_column(JSON, default=list)
    team_id: Mapped[str | None] = mapped_column(ForeignKey("team.id"))
    password_hash: Mapped[str | None] = mapped_column(String(200))  # argon2id; None until set
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_sign_ins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    totp_secret: Mapped[bytes | None] = mapped_column(LargeBinary)  # encrypted at rest
    # Changing this signs the account out everywhere (password reset, deactivation).
    session_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Wrong authenticator codes in a row, when codes are next accepted, and the time step of
    # the last code accepted (a code is never accepted twice).
    code_failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    code_locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_code_step: Mapped[int | None] = mapped_column(BigInteger)
    team: Mapped[Team | None] = relationship(back_populates="members")

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return any(role in self.roles for role in roles)


class AccountLink(db.Model):
    """A one-time link to set a password; only a hash of its token is stored."""

    __tablename__ = "account_link"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    user: Mapped[StaffUser] = relationship()


class SignInThrottle(db.Model):
    """Failed sign-ins from one network address (a keyed hash of it, never the address), so
    guessing across many accounts is slowed as well as guessing at one."""

    __tablename__ = "sign_in_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_failure_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
