"""whether residents can reach a directory entry (a phone, an email, a web address or an
address to visit)

Revision ID: 0017b_reachable
Revises: 0017_oruk_conformance
Create Date: 2026-12-07 03:35:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017b_reachable'
down_revision = '0017_oruk_conformance'
branch_labels = None
depends_on = None

CHUNK = 500

# The match key statements of 0015, for the way back: every published active service again.
INSERT_KEYS_BEFORE = """
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
INSERT_LOCATIONS_BEFORE = """
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


def _reachable_ids(bind) -> set[str]:
    """The services with a phone number, an email, a safe web address or an address to
    visit, by the same tests the application uses."""
    from mle.directory.reachability import is_email_address, is_phone_number, is_visitable
    from mle.security.web_address import is_safe_web_address

    found = {sid for sid, url, email in bind.execute(sa.text(
        "SELECT id, url, email FROM service"))
        if is_safe_web_address(url) or is_email_address(email)}
    found |= {sid for sid, number in bind.execute(sa.text(
        "SELECT c.service_id, p.number FROM phone p JOIN contact c ON c.id = p.contact_id "
        "WHERE c.service_id IS NOT NULL")) if is_phone_number(number)}
    found |= {row[0] for row in bind.execute(sa.text(
        "SELECT sal.service_id, l.location_type, a.address_type, a.address_1, a.city, "
        "a.postal_code FROM service_at_location sal "
        "JOIN location l ON l.id = sal.location_id JOIN address a ON a.location_id = l.id"))
        if is_visitable(*row[1:])}
    return found


def upgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reachable', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    bind = op.get_bind()
    ids = sorted(_reachable_ids(bind))
    for start in range(0, len(ids), CHUNK):
        bind.execute(sa.text("UPDATE service SET reachable = :yes WHERE id IN :ids")
                     .bindparams(sa.bindparam("ids", expanding=True)),
                     {"yes": True, "ids": ids[start:start + CHUNK]})
    # Residents are no longer matched to entries they cannot reach.
    bind.execute(sa.text("DELETE FROM match_location WHERE service_id IN "
                         "(SELECT id FROM service WHERE reachable = :no)"), {"no": False})
    bind.execute(sa.text("DELETE FROM match_key WHERE service_id IN "
                         "(SELECT id FROM service WHERE reachable = :no)"), {"no": False})


def downgrade():
    with op.batch_alter_table('service', schema=None) as batch_op:
        batch_op.drop_column('reachable')
    op.execute("DELETE FROM match_location")
    op.execute("DELETE FROM match_key")
    op.execute(INSERT_KEYS_BEFORE)
    op.execute(INSERT_LOCATIONS_BEFORE)
