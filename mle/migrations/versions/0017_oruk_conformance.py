"""Open Referral UK fields that must survive a round trip (funding, organisation identifiers)

Also: an organisation's parent is kept as an id without a foreign key (a feed may name a
parent it does not describe), and schedule and phone ids the editor made before ids were UUIDs
are rewritten as UUIDs, in the same order, so every export validates against ORUK 3.0.

Revision ID: 0017_oruk_conformance
Revises: 0016_sign_in_and_sealed
Create Date: 2026-12-07 03:30:00

"""
import re
import uuid

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0017_oruk_conformance'
down_revision = '0016_sign_in_and_sealed'
branch_labels = None
depends_on = None

UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-"
                  r"[0-9a-fA-F]{12}$")
# table -> (the columns that group its rows, read in id order; the columns that refer to it)
REWRITTEN = {
    "schedule": (("service_id", "service_at_location_id"), ()),
    "phone": (("contact_id",), (("language", "phone_id"),)),
}


def _id_after(previous):
    """A random UUID that sorts after `previous`, so rows keep the order they are read in."""
    fresh = str(uuid.uuid4())
    if previous is None or fresh > previous or not UUID.match(previous):
        return fresh
    head = int(previous[:8], 16)
    if head == 0xFFFFFFFF:
        return fresh
    return f"{min(head + 1 + uuid.uuid4().int % 0x10000, 0xFFFFFFFF):08x}{fresh[8:]}"


def _rewrite_ids(bind, name, group_by, references):
    table = sa.Table(name, sa.MetaData(), autoload_with=bind)
    attribute = sa.table("attribute", sa.column("link_id"), sa.column("link_entity"))
    groups = {}
    for row in bind.execute(sa.select(table)).mappings():
        groups.setdefault(tuple(row[c] for c in group_by), []).append(dict(row))
    for rows in groups.values():
        if all(UUID.match(row["id"]) for row in rows):
            continue
        previous = None
        for row in sorted(rows, key=lambda r: r["id"]):
            if UUID.match(row["id"]):
                previous = row["id"]
                continue
            old, new = row["id"], _id_after(previous)
            # Copy, point every reference at the copy, then delete: no foreign key is ever
            # left dangling, whether or not the database checks them.
            bind.execute(table.insert().values({**row, "id": new}))
            for other, column in references:
                ref = sa.table(other, sa.column(column))
                bind.execute(ref.update().where(ref.c[column] == old).values({column: new}))
            bind.execute(attribute.update().where(attribute.c.link_entity == name,
                                                  attribute.c.link_id == old)
                         .values(link_id=new))
            bind.execute(table.delete().where(table.c.id == old))
            previous = new


def upgrade():
    op.create_table(
        'funding',
        sa.Column('id', sa.String(80), primary_key=True),
        sa.Column('service_id', sa.String(80), nullable=False),
        sa.Column('source', sa.Text()),
        sa.ForeignKeyConstraint(['service_id'], ['service.id'], name='fk_funding_service',
                                ondelete='CASCADE'),
    )
    op.create_index('ix_funding_service_id', 'funding', ['service_id'])
    op.create_table(
        'organization_identifier',
        sa.Column('id', sa.String(80), primary_key=True),
        sa.Column('organization_id', sa.String(80), nullable=False),
        sa.Column('identifier_scheme', sa.String(50)),
        sa.Column('identifier_type', sa.String(100), nullable=False),
        sa.Column('identifier', sa.String(100), nullable=False),
        sa.ForeignKeyConstraint(['organization_id'], ['organization.id'],
                                name='fk_organization_identifier_organization',
                                ondelete='CASCADE'),
    )
    op.create_index('ix_organization_identifier_organization_id', 'organization_identifier',
                    ['organization_id'])
    with op.batch_alter_table('organization') as batch:
        batch.drop_constraint('fk_organization_parent', type_='foreignkey')

    bind = op.get_bind()
    for name, (group_by, references) in REWRITTEN.items():
        _rewrite_ids(bind, name, group_by, references)


def downgrade():
    # Rewritten ids stay UUIDs: they are valid ids either way.
    organization = sa.table('organization', sa.column('id'),
                            sa.column('parent_organization_id'))
    known = sa.select(organization.c.id).scalar_subquery()
    op.get_bind().execute(organization.update()
                          .where(organization.c.parent_organization_id.not_in(known))
                          .values(parent_organization_id=None))
    with op.batch_alter_table('organization') as batch:
        batch.create_foreign_key('fk_organization_parent', 'organization',
                                 ['parent_organization_id'], ['id'], ondelete='SET NULL')
    op.drop_index('ix_organization_identifier_organization_id', 'organization_identifier')
    op.drop_table('organization_identifier')
    op.drop_index('ix_funding_service_id', 'funding')
    op.drop_table('funding')
