"""Teams: who receives requests, for which localities, and how soon they aim to act."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from mle.database import db
from mle.models import Team
from mle.security.audit import audit


class TeamIdTaken(ValueError):
    pass


@dataclass(frozen=True)
class TeamDetails:
    """What an administrator may change about a team."""

    name: str
    localities: tuple[str, ...]  # none: the whole area
    target_days: int  # target time to first action
    inbox_email: str | None = None


def all_teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.name)))


def get_team(team_id: str) -> Team | None:
    return db.session.get(Team, team_id)


def create_team(team_id: str, kind: str, details: TeamDetails) -> Team:
    """A new team; its id is fixed from now on. Refused when the id is taken."""
    if get_team(team_id) is not None:
        raise TeamIdTaken(team_id)
    team = Team(id=team_id, kind=kind.strip())
    _apply(details, team)
    db.session.add(team)
    audit("team.created", "team", team.id)
    db.session.commit()
    return team


def change_team(team: Team, details: TeamDetails) -> None:
    _apply(details, team)
    audit("team.changed", "team", team.id)
    db.session.commit()


def _apply(details: TeamDetails, team: Team) -> None:
    team.name = details.name.strip()
    team.localities = list(details.localities)
    team.target_days = details.target_days
    team.inbox_email = (details.inbox_email or "").strip().lower() or None


def sync_teams_from_area(area) -> int:
    """Create any team named in area.yaml that the database does not have yet."""
    existing = set(db.session.scalars(select(Team.id)))
    for team in area.teams.values():
        if team.id not in existing:
            db.session.add(Team(id=team.id, name=team.name, kind=team.kind, localities=[]))
    db.session.commit()
    return db.session.scalar(select(func.count()).select_from(Team))
