"""match keys: one row per need term, place and published active service, in rank order

Revision ID: 0015_match_keys
Revises: 0014_match_index
Create Date: 2026-12-02 09:40:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0015_match_keys'
down_revision = '0014_match_index'
branch_labels = None
depends_on = None

# The same statements as mle/directory/match_keys.py, copied so this migration stays as it is.
INSERT_KEYS = """
INSERT INTO match_key (service_id, need_term_id, coverage, locality, needs_editor, name,
                       review_due, minimum_age, maximum_age)
SELECT DISTINCT s.id, a.taxonomy_term_id, s.coverage, COALESCE(sa.locality, ''),
       s.needs_editor, s.name, s.review_due, s.minimum_age, s.maximum_age
FROM service s
JOIN attribute a ON a.link_entity = 'service' AND a.link_id = s.id
LEFT JOIN service_area sa ON s.coverage = 'locality' AND sa.service_id = s.id
     AND sa.locality IS NOT NULL
WHERE s.publication_status = 'published' AND s.status = 'active'
  AND (s.coverage <> 'locality' OR sa.locality IS NOT NULL)
"""
INSERT_LOCATIONS = """
INSERT INTO match_location (service_id, need_term_id, coverage, locality, location_id,
                            latitude, longitude, needs_editor, name, review_due, minimum_age,
                            maximum_age)
SELECT DISTINCT k.service_id, k.need_term_id, k.coverage, k.locality, l.id, l.latitude,
       l.longitude, k.needs_editor, k.name, k.review_due, k.minimum_age, k.maximum_age
FROM match_key k
JOIN service_at_location sal ON sal.service_id = k.service_id
JOIN location l ON l.id = sal.location_id
WHERE l.latitude IS NOT NULL AND l.longitude IS NOT NULL
"""


def upgrade():
    op.create_table(
        'match_key',
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('need_term_id', sa.String(length=80), nullable=False),
        sa.Column('coverage', sa.String(length=10), nullable=False),
        sa.Column('locality', sa.String(length=40), nullable=False),
        sa.Column('needs_editor', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('review_due', sa.Date(), nullable=True),
        sa.Column('minimum_age', sa.Integer(), nullable=True),
        sa.Column('maximum_age', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], name='fk_match_key_service',
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('service_id', 'need_term_id', 'coverage', 'locality'),
    )
    with op.batch_alter_table('match_key', schema=None) as batch_op:
        batch_op.create_index('ix_match_key_rank', [
            'need_term_id', 'coverage', 'locality', 'needs_editor', 'name', 'service_id',
            'review_due', 'minimum_age', 'maximum_age'], unique=False)
    op.create_table(
        'match_location',
        sa.Column('service_id', sa.String(length=80), nullable=False),
        sa.Column('need_term_id', sa.String(length=80), nullable=False),
        sa.Column('coverage', sa.String(length=10), nullable=False),
        sa.Column('locality', sa.String(length=40), nullable=False),
        sa.Column('location_id', sa.String(length=80), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=False),
        sa.Column('longitude', sa.Float(), nullable=False),
        sa.Column('needs_editor', sa.Boolean(), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('review_due', sa.Date(), nullable=True),
        sa.Column('minimum_age', sa.Integer(), nullable=True),
        sa.Column('maximum_age', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['location_id'], ['location.id'],
                                name='fk_match_location_location', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'],
                                name='fk_match_location_service', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('service_id', 'need_term_id', 'coverage', 'locality',
                                'location_id'),
    )
    with op.batch_alter_table('match_location', schema=None) as batch_op:
        batch_op.create_index('ix_match_location_box', [
            'need_term_id', 'coverage', 'locality', 'latitude', 'longitude', 'service_id',
            'review_due', 'minimum_age', 'maximum_age', 'needs_editor', 'name'], unique=False)
        batch_op.create_index('ix_match_location_location', ['location_id'], unique=False)
    op.execute(INSERT_KEYS)
    op.execute(INSERT_LOCATIONS)


def downgrade():
    with op.batch_alter_table('match_location', schema=None) as batch_op:
        batch_op.drop_index('ix_match_location_location')
        batch_op.drop_index('ix_match_location_box')
    op.drop_table('match_location')
    with op.batch_alter_table('match_key', schema=None) as batch_op:
        batch_op.drop_index('ix_match_key_rank')
    op.drop_table('match_key')
