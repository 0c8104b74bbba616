"""search documents keep a name to order by, every place, and a list of the words they
hold; on PostgreSQL the index is an expression index that also holds where a service is offered

The word list lets PostgreSQL's index be asked for whole words instead of prefixes, and lets
a search skip fields no document has a word in; names are ordered byte by byte on both
databases ("C" collation on PostgreSQL, as SQLite compares). A service with several places
keeps them all, so the nearest is found without reading its locations. On PostgreSQL the stored
tsvector column becomes an index on an expression of the word columns (the rows a search
reads are a third narrower), and the expression adds the service's coverage and localities
("@wide", "@national", "@in-airdrie"), so a place is looked up in the index too
(docs/decisions/0024-search-index.md).

Revision ID: 0021_search_words
Revises: 0020_search_index
Create Date: 2026-12-07 09:30:00

"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql as postgresql_array

# revision identifiers, used by Alembic.
revision = '0021_search_words'
down_revision = '0020_search_index'
branch_labels = None
depends_on = None

CHUNK = 5000
WORD_COLUMNS = {'name': 'name_words', 'description': 'description_words',
                'organisation': 'organisation_words'}

# The search document: each stored word a lexeme (no parser nor dictionary: the words are
# already normalised), term ids after "#", and where the service is offered after "@" (no
# word start reaches either): "@wide" for every coverage but one locality, "@national" for a
# national one, "@in-<locality>" for each locality of one served locally. Locality ids are
# slugs (search_index.localities() keeps only those).
POSTGRESQL = [
    "DROP INDEX ix_service_search_document",
    "ALTER TABLE service_search DROP COLUMN document",
    r"""CREATE FUNCTION service_search_document(
            name_words text, description_words text, organisation_words text,
            topic_ids text, coverage text, localities text)
        RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT CAST(name_words || ' ' || description_words || ' ' || organisation_words
                    AS tsvector)
            || CAST(regexp_replace(topic_ids, '(\S+)', '#\1', 'g') AS tsvector)
            || CAST(CASE WHEN coverage = 'national' THEN '@wide @national'
                         WHEN coverage <> 'locality' THEN '@wide' ELSE '' END AS tsvector)
            || CAST(translate(regexp_replace(localities, '([^|]+)', '@in-\1', 'g'), '|', ' ')
                    AS tsvector)
        $$""",
    """CREATE INDEX ix_service_search_document ON service_search USING gin (
        service_search_document(name_words, description_words, organisation_words,
                                topic_ids, coverage, localities))""",
]
POSTGRESQL_DOWN = [
    "DROP INDEX ix_service_search_document",
    "DROP FUNCTION service_search_document(text, text, text, text, text, text)",
    """ALTER TABLE service_search ADD COLUMN document tsvector GENERATED ALWAYS AS (
        CAST(name_words || ' ' || description_words || ' ' || organisation_words AS tsvector)
        || CAST(regexp_replace(topic_ids, '(\\S+)', '#\\1', 'g') AS tsvector)) STORED""",
    "CREATE INDEX ix_service_search_document ON service_search USING gin (document)",
]


def upgrade():
    from mle.directory.search_index import sort_name

    bind = op.get_bind()
    postgresql = bind.dialect.name == 'postgresql'
    collation = 'C' if postgresql else None
    op.add_column('service_search', sa.Column('sort_name', sa.String(200, collation=collation),
                                              nullable=False, server_default=''))
    points = (postgresql_array.ARRAY(sa.Float()) if postgresql else sa.JSON())
    op.add_column('service_search', sa.Column('latitudes', points, nullable=True))
    op.add_column('service_search', sa.Column('longitudes', points, nullable=True))
    words = op.create_table(
        'search_word',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('word', sa.String(60, collation=collation), nullable=False),
        sa.Column('field', sa.String(12), nullable=False),
    )
    op.create_index('ix_search_word_word', 'search_word', ['word'])
    if postgresql:
        for statement in POSTGRESQL:
            op.execute(statement)

    documents = sa.table('service_search', sa.column('id', sa.Integer()), sa.column('name'),
                         sa.column('sort_name'), *(sa.column(c) for c in WORD_COLUMNS.values()))
    found: set[tuple[str, str]] = set()
    named = []
    for row in bind.execute(sa.select(documents.c.id, documents.c.name,
                                      *(documents.c[c] for c in WORD_COLUMNS.values()))):
        named.append({'key': row.id, 'sort_name': sort_name(row.name)})
        for field, column in WORD_COLUMNS.items():
            found.update((word, field) for word in getattr(row, column).split())
    update = (documents.update().where(documents.c.id == sa.bindparam('key'))
              .values(sort_name=sa.bindparam('sort_name')))
    for start in range(0, len(named), CHUNK):
        bind.execute(update, named[start:start + CHUNK])
    rows = [{'word': w, 'field': f} for w, f in sorted(found)]
    for start in range(0, len(rows), CHUNK):
        bind.execute(words.insert(), rows[start:start + CHUNK])
    _fill_places(bind, points)


def _fill_places(bind, points) -> None:
    """Every place of the services with several, as mle/directory/search_index.py writes
    them."""
    from mle.directory.search_index import every_place

    at = sa.table('service_at_location', sa.column('service_id'), sa.column('location_id'))
    location = sa.table('location', sa.column('id'), sa.column('latitude', sa.Float()),
                        sa.column('longitude', sa.Float()))
    documents = sa.table('service_search', sa.column('service_id'),
                         sa.column('latitudes', points), sa.column('longitudes', points))
    located: dict[str, list] = {}
    for service_id, latitude, longitude in bind.execute(
            sa.select(at.c.service_id, location.c.latitude, location.c.longitude)
            .select_from(at.join(location, location.c.id == at.c.location_id))
            .where(location.c.latitude.is_not(None), location.c.longitude.is_not(None))):
        located.setdefault(service_id, []).append((latitude, longitude))
    several = [{'key': service_id, **every_place(found)} for service_id, found in located.items()
               if len(set(found)) > 1]
    update = (documents.update().where(documents.c.service_id == sa.bindparam('key'))
              .values(latitudes=sa.bindparam('latitudes'),
                      longitudes=sa.bindparam('longitudes')))
    for start in range(0, len(several), CHUNK):
        bind.execute(update, several[start:start + CHUNK])


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        for statement in POSTGRESQL_DOWN:
            op.execute(statement)
    op.drop_index('ix_search_word_word', table_name='search_word')
    op.drop_table('search_word')
    # Not a batch: on SQLite that would rebuild the table without its full-text triggers.
    for column in ('sort_name', 'latitudes', 'longitudes'):
        op.execute(f'ALTER TABLE service_search DROP COLUMN {column}')
