"""import runs, field ownership and suggestions from the sources a directory is kept in step
with; web addresses long enough to keep whole

Revision ID: 0018_import_runs
Revises: 0017b_reachable
Create Date: 2026-12-07 03:30:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0018_import_runs'
down_revision = '0017b_reachable'
branch_labels = None
depends_on = None

LONG_ADDRESSES = (("service", "url"), ("organization", "website"), ("accessibility", "url"))


def upgrade():
    op.create_table(
        'directory_import',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=30), nullable=False),
        sa.Column('feed', sa.String(length=120), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('attribution', sa.Text(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('run_by_id', sa.Integer(), nullable=True),
        sa.Column('published', sa.Boolean(), nullable=False),
        sa.Column('added', sa.Integer(), nullable=False),
        sa.Column('changed', sa.Integer(), nullable=False),
        sa.Column('unchanged', sa.Integer(), nullable=False),
        sa.Column('archived', sa.Integer(), nullable=False),
        sa.Column('rejected', sa.Integer(), nullable=False),
        sa.Column('skipped', sa.Integer(), nullable=False),
        sa.Column('duplicates', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['run_by_id'], ['staff_user.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_table(
        'directory_import_entry',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=False),
        sa.Column('outcome', sa.String(length=12), nullable=False),
        sa.Column('service_id', sa.String(length=80), nullable=True),
        sa.Column('record_key', sa.String(length=200), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['import_id'], ['directory_import.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_directory_import_entry_run', 'directory_import_entry',
                    ['import_id', 'outcome'])
    op.create_table(
        'service_source',
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('source', sa.String(length=30), nullable=False),
        sa.Column('feed', sa.String(length=120), nullable=False),
        sa.Column('record_key', sa.String(length=200), nullable=False),
        sa.Column('label', sa.String(length=120), nullable=False),
        sa.Column('attribution', sa.Text(), nullable=False),
        sa.Column('source_hashes', sa.JSON(), nullable=False),
        sa.Column('written_hashes', sa.JSON(), nullable=False),
        sa.Column('last_import_id', sa.Integer(), nullable=True),
        sa.Column('left_feed', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['last_import_id'], ['directory_import.id'],
                                ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('service_id'),
    )
    op.create_index('ix_service_source_feed', 'service_source', ['source', 'feed'])
    op.create_table(
        'topic_suggestion',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('import_id', sa.Integer(), nullable=True),
        sa.Column('taxonomy_term_id', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['import_id'], ['directory_import.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_topic_suggestion_service', 'topic_suggestion', ['service_id', 'status'])
    with op.batch_alter_table('service_change', schema=None) as batch_op:
        batch_op.add_column(sa.Column('import_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_service_change_import', 'directory_import',
                                    ['import_id'], ['id'], ondelete='SET NULL')
    for table, column in LONG_ADDRESSES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=2000),
                                  existing_type=sa.String(length=300))


def downgrade():
    for table, column in LONG_ADDRESSES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, type_=sa.String(length=300),
                                  existing_type=sa.String(length=2000))
    with op.batch_alter_table('service_change', schema=None) as batch_op:
        batch_op.drop_constraint('fk_service_change_import', type_='foreignkey')
        batch_op.drop_column('import_id')
    op.drop_table('topic_suggestion')
    op.drop_table('service_source')
    op.drop_index('ix_directory_import_entry_run', table_name='directory_import_entry')
    op.drop_table('directory_import_entry')
    op.drop_table('directory_import')
