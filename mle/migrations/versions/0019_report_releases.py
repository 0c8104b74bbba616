"""monthly report releases, frozen once published

Revision ID: 0019_report_releases
Revises: 0018_import_runs
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0019_report_releases'
down_revision = '0018_import_runs'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'report_release',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('month', sa.String(7), nullable=False),
        sa.Column('released_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('revised', sa.JSON(), nullable=False),
        sa.Column('digests', sa.JSON(), nullable=False),
        sa.UniqueConstraint('month', name='uq_report_release_month'),
    )
    op.create_table(
        'released_period',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('release_id', sa.Integer(),
                  sa.ForeignKey('report_release.id', ondelete='CASCADE'), nullable=False),
        sa.Column('code', sa.String(10), nullable=False),
        sa.Column('cells', sa.JSON(), nullable=False),
        sa.Column('relations', sa.JSON(), nullable=False),
        sa.Column('extra', sa.JSON(), nullable=False),
        sa.UniqueConstraint('code', name='uq_released_period_code'),
    )
    op.create_index('ix_released_period_release_id', 'released_period', ['release_id'])


def downgrade():
    op.drop_index('ix_released_period_release_id', table_name='released_period')
    op.drop_table('released_period')
    op.drop_table('report_release')
