"""monthly report releases, frozen once published

Revision ID: 0019_report_releases
Revises: 0018_import_runs
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

# revision identifiers, used by Alembic.
revision = '0019_report_releases'
down_revision = '0018_import_runs'
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
