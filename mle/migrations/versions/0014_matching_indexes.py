"""matching indexes: services in rank order, locations and their services index-only

Revision ID: 0014_match_index
Revises: 0012_history
Create Date: 2026-12-02 09:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0014_match_index'
down_revision = '0012_history'
branch_labels = None
depends_on = None


def upgrade():
    # The new index starts with the old one's columns, so it serves every query that did.
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index('ix_service_match_order', [
            'publication_status', 'status', 'coverage', 'needs_editor', 'name', 'id',
            'review_due', 'minimum_age', 'maximum_age'], unique=False)
        batch_op.drop_index('ix_service_matching')
    # Locations in a box, and the services at them, read from the indexes alone.
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index('ix_location_lat_long')
        batch_op.create_index('ix_location_lat_long', ['latitude', 'longitude', 'id'],
                              unique=False)
    with op.batch_alter_table('service_at_location', schema=None) as batch_op:
        batch_op.drop_index('ix_service_at_location_location')
        batch_op.create_index('ix_service_at_location_location', ['location_id', 'service_id'],
                              unique=False)


def downgrade():
    with op.batch_alter_table('service_at_location', schema=None) as batch_op:
        batch_op.drop_index('ix_service_at_location_location')
        batch_op.create_index('ix_service_at_location_location', ['location_id'], unique=False)
    with op.batch_alter_table('location', schema=None) as batch_op:
        batch_op.drop_index('ix_location_lat_long')
        batch_op.create_index('ix_location_lat_long', ['latitude', 'longitude'], unique=False)
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.create_index('ix_service_matching', ['publication_status', 'status',
                              'coverage'], unique=False)
        batch_op.drop_index('ix_service_match_order')
