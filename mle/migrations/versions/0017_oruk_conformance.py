"""Open Referral UK fields that must survive a round trip (funding, organisation identifiers)

Revision ID: 0017_oruk_conformance
Revises: 0016_sign_in_and_sealed
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0017_oruk_conformance'
down_revision = '0016_sign_in_and_sealed'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
