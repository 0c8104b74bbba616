"""a search document per service, indexed for word starts

On PostgreSQL a generated tsvector column with a GIN index, on SQLite an FTS5 table kept by
triggers (docs/decisions/0024-search-index.md).

Revision ID: 0020_search_index
Revises: 0019_report_releases
Create Date: 2026-12-07 05:00:00

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0020_search_index'
down_revision = '0019_report_releases'
branch_labels = None
depends_on = None

CHUNK = 5000

# Each stored word a lexeme of its own (no parser nor dictionary: the words are already
# normalised); term ids start with "#", so that no word start finds one ("carer" is not a
# start of "#carer-support").
POSTGRESQL = [
    """ALTER TABLE service_search ADD COLUMN document tsvector GENERATED ALWAYS AS (
        CAST(name_words || ' ' || description_words || ' ' || organisation_words AS tsvector)
        || CAST(regexp_replace(topic_ids, '(\\S+)', '#\\1', 'g') AS tsvector)) STORED""",
    "CREATE INDEX ix_service_search_document ON service_search USING gin (document)",
]
# External content: the words are stored once, in service_search, and triggers keep the
# index in step; prefix indexes for the short word starts that match many words; term ids
# ("carer-support") kept whole.
SQLITE = [
    """CREATE VIRTUAL TABLE service_search_fts USING fts5(
        name_words, topic_ids, description_words, organisation_words,
        content='service_search', content_rowid='id', prefix='2 3',
        tokenize="unicode61 tokenchars '-'")""",
    """CREATE TRIGGER service_search_fts_insert AFTER INSERT ON service_search BEGIN
        INSERT INTO service_search_fts (rowid, name_words, topic_ids, description_words,
                                        organisation_words)
        VALUES (new.id, new.name_words, new.topic_ids, new.description_words,
                new.organisation_words);
    END""",
    """CREATE TRIGGER service_search_fts_delete AFTER DELETE ON service_search BEGIN
        INSERT INTO service_search_fts (service_search_fts, rowid, name_words, topic_ids,
                                        description_words, organisation_words)
        VALUES ('delete', old.id, old.name_words, old.topic_ids, old.description_words,
                old.organisation_words);
    END""",
    """CREATE TRIGGER service_search_fts_update AFTER UPDATE ON service_search BEGIN
        INSERT INTO service_search_fts (service_search_fts, rowid, name_words, topic_ids,
                                        description_words, organisation_words)
        VALUES ('delete', old.id, old.name_words, old.topic_ids, old.description_words,
                old.organisation_words);
        INSERT INTO service_search_fts (rowid, name_words, topic_ids, description_words,
                                        organisation_words)
        VALUES (new.id, new.name_words, new.topic_ids, new.description_words,
                new.organisation_words);
    END""",
]
COPIED = ("name", "publication_status", "status", "reachable", "coverage", "review_due")
SERVICE = sa.table("service", sa.column("id"), sa.column("description"),
                   sa.column("organization_id"), sa.column("name"),
                   sa.column("publication_status"), sa.column("status"),
                   sa.column("reachable", sa.Boolean()), sa.column("coverage"),
                   sa.column("review_due", sa.Date()))
ORGANIZATION = sa.table("organization", sa.column("id"), sa.column("name"))
ATTRIBUTE = sa.table("attribute", sa.column("link_id"), sa.column("link_entity"),
                     sa.column("taxonomy_term_id"))
SERVICE_AREA = sa.table("service_area", sa.column("service_id"), sa.column("locality"))
SERVICE_AT_LOCATION = sa.table("service_at_location", sa.column("service_id"),
                               sa.column("location_id"))
LOCATION = sa.table("location", sa.column("id"), sa.column("latitude"), sa.column("longitude"))


def _fill(bind, documents: sa.Table) -> None:
    """A document for every service, as mle/directory/search_index.py writes them."""
    from mle.directory.search_index import localities, places, words

    def by_service(statement):
        found: dict[str, list] = {}
        for service_id, *values in bind.execute(statement):
            found.setdefault(service_id, []).append(values[0] if len(values) == 1
                                                    else tuple(values))
        return found

    filed = by_service(sa.select(ATTRIBUTE.c.link_id, ATTRIBUTE.c.taxonomy_term_id)
                       .where(ATTRIBUTE.c.link_entity == 'service'))
    served = by_service(sa.select(SERVICE_AREA.c.service_id, SERVICE_AREA.c.locality)
                        .where(SERVICE_AREA.c.locality.is_not(None)))
    located = by_service(sa.select(SERVICE_AT_LOCATION.c.service_id, LOCATION.c.latitude,
                                   LOCATION.c.longitude)
                         .select_from(SERVICE_AT_LOCATION.join(
                             LOCATION, LOCATION.c.id == SERVICE_AT_LOCATION.c.location_id))
                         .where(LOCATION.c.latitude.is_not(None),
                                LOCATION.c.longitude.is_not(None)))
    services = (sa.select(SERVICE.c.id, SERVICE.c.description, ORGANIZATION.c.name,
                          *(SERVICE.c[c] for c in COPIED))
                .select_from(SERVICE.outerjoin(ORGANIZATION,
                                               ORGANIZATION.c.id == SERVICE.c.organization_id)))
    rows = []
    for service_id, description, organisation, *copied in bind.execute(services):
        row = dict(zip(COPIED, copied, strict=True))
        rows.append({"service_id": service_id, **row,
                     "localities": localities(served.get(service_id, ())),
                     **places(located.get(service_id, ())),
                     **words(row["name"], description, organisation,
                             filed.get(service_id, ()))})
    for start in range(0, len(rows), CHUNK):
        bind.execute(documents.insert(), rows[start:start + CHUNK])


def upgrade():
    documents = op.create_table(
        'service_search',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('service_id', sa.String(80),
                  sa.ForeignKey('service.id', ondelete='CASCADE',
                                name='fk_service_search_service'), nullable=False),
        sa.Column('name', sa.String(200), nullable=False),
        sa.Column('publication_status', sa.String(12), nullable=False),
        sa.Column('status', sa.String(20), nullable=False),
        sa.Column('reachable', sa.Boolean(), nullable=False),
        sa.Column('coverage', sa.String(10), nullable=False),
        sa.Column('review_due', sa.Date(), nullable=True),
        sa.Column('localities', sa.Text(), nullable=False),
        sa.Column('locations', sa.Integer(), nullable=False),
        sa.Column('latitude', sa.Float(), nullable=True),
        sa.Column('longitude', sa.Float(), nullable=True),
        sa.Column('name_words', sa.Text(), nullable=False),
        sa.Column('topic_ids', sa.Text(), nullable=False),
        sa.Column('description_words', sa.Text(), nullable=False),
        sa.Column('organisation_words', sa.Text(), nullable=False),
    )
    op.create_index('ix_service_search_service', 'service_search', ['service_id'], unique=True)
    bind = op.get_bind()
    for statement in POSTGRESQL if bind.dialect.name == 'postgresql' else SQLITE:
        op.execute(statement)
    _fill(bind, documents)


def downgrade():
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for trigger in ('insert', 'delete', 'update'):
            op.execute(f'DROP TRIGGER service_search_fts_{trigger}')
        op.execute('DROP TABLE service_search_fts')
    op.drop_index('ix_service_search_service', table_name='service_search')
    op.drop_table('service_search')
