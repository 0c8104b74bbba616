"""The search documents (mle/models/search_index.py) follow every change to an entry, in the
same transaction, so a changed entry is found by its new words and not its old ones: its name,
description, organisation's name, topics, service areas, places, publishing, archiving,
reachability and deleting; the seed loader and the ORUK importer keep them too. Residents'
search, the editors' list and the ORUK API read them alike.

Services added here are fictional, reachable through example.org, and carry made-up words
(zebrafinch, quokkapie) so their results do not depend on the seed directory."""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import func, select

from mle.database import db
from mle.directory import editor_lists
from mle.directory.browse import visible
from mle.directory.search import parse_query, search, word_conditions
from mle.directory.search_index import refresh_search_index
from mle.models import (
    Attribute,
    Location,
    Organization,
    SearchWord,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceSearch,
)
from mle.oruk import queries
from tests.directory_data import (
    KILSYTH,
    WISHAW,
    example_record_in_the_area,
    import_oruk_records,
    imports_removed_afterwards,
    organisation_for_tests,
)

ORG = "test-index-org"


@pytest.fixture
def index_app(app):
    with app.app_context(), organisation_for_tests(ORG, "Test index organisation",
                                              "test-index-loc-"):
        yield app


def add(service_id: str, name: str, description: str = "", needs=(), locations=(),
        **fields) -> Service:
    fields.setdefault("url", "https://example.org/")
    service = Service(id=service_id, name=name, organization_id=ORG, description=description,
                      coverage=fields.pop("coverage", "area"),
                      publication_status=fields.pop("publication_status", "published"),
                      **fields)
    service.attributes = [Attribute(id=f"{service_id}-{t}", link_entity="service",
                                    taxonomy_term_id=t) for t in needs]
    service.service_at_locations = [
        ServiceAtLocation(id=f"{service_id}-at-{n}", location=Location(
            id=f"test-index-loc-{service_id}-{n}", latitude=point[0], longitude=point[1]))
        for n, point in enumerate(locations)]
    db.session.add(service)
    db.session.commit()
    return service


def residents(words: str, **place) -> list[str]:
    return [found.service.id for found in search(parse_query(words), visible(), **place).results]


def editors(words: str) -> list[str]:
    rows, _total = editor_lists.list_entries(editor_lists.Filters(q=words), 1)
    return [service.id for service, _reports in rows]


def api(words: str) -> list[str]:
    page = queries.services(queries.Filters(words=tuple(words.split())), 1, 50)
    return [service.id for service in page.rows]


def everywhere(words: str) -> tuple[list[str], list[str], list[str]]:
    return residents(words), editors(words), api(words)


def documents() -> set[tuple]:
    columns = [c for c in ServiceSearch.__table__.c if c.name != "id"]
    return {tuple(tuple(v) if isinstance(v, list) else v for v in row)
            for row in db.session.execute(select(*columns))}


def listed_words() -> set[tuple[str, str]]:
    return {(word, field) for word, field in db.session.execute(
        select(SearchWord.word, SearchWord.field))}


def assert_same_as_a_rebuild() -> None:
    """Every document, as kept in step, equals what rebuilding them all from scratch gives,
    and the word list holds every word they hold (a word no document holds any more may stay:
    it matches nothing)."""
    kept, listed = documents(), listed_words()
    refresh_search_index(db.session.connection())
    assert documents() == kept
    rebuilt = listed_words()
    assert rebuilt <= listed
    assert rebuilt == {(word, field) for row in db.session.execute(select(
        ServiceSearch.name_words, ServiceSearch.description_words,
        ServiceSearch.organisation_words))
        for field, words in zip(("name", "description", "organisation"), row, strict=True)
        for word in words.split()}
    db.session.rollback()


def test_a_renamed_entry_is_found_by_its_new_name_and_not_its_old(index_app):
    service = add("t-index-renamed", "Zebrafinch lunch club")
    assert everywhere("zebrafinch") == (["t-index-renamed"],) * 3
    service.name = "Quokkapie lunch club"
    db.session.commit()
    assert everywhere("zebrafinch") == ([], [], [])
    assert everywhere("quokkapie") == (["t-index-renamed"],) * 3
    assert_same_as_a_rebuild()


def test_a_new_description_replaces_the_old_words(index_app):
    service = add("t-index-described", "Test lunch club", "Soup and zebrafinch sandwiches.")
    assert residents("zebrafinch") == ["t-index-described"]
    service.description = "Soup and quokkapie pies."
    db.session.commit()
    assert everywhere("zebrafinch") == ([], [], [])
    assert everywhere("quokkapie") == (["t-index-described"],) * 3


def test_an_organisation_renamed_renames_its_entries_in_the_index(index_app):
    add("t-index-org-a", "Test lunch club A")
    add("t-index-org-b", "Test lunch club B")
    organisation = db.session.get(Organization, ORG)
    organisation.name = "Zebrafinch Trust"
    db.session.commit()
    assert sorted(residents("zebrafinch")) == ["t-index-org-a", "t-index-org-b"]
    organisation.name = "Quokkapie Trust"
    db.session.commit()
    assert everywhere("zebrafinch") == ([], [], [])
    assert sorted(editors("quokkapie")) == ["t-index-org-a", "t-index-org-b"]
    assert_same_as_a_rebuild()


def test_topics_added_and_removed_are_found_and_then_not(index_app):
    service = add("t-index-filed", "Test zebrafinch group")
    assert "t-index-filed" not in residents("tinnitus")  # a synonym of hearing support
    service.attributes = [Attribute(id="t-index-filed-hearing", link_entity="service",
                                    taxonomy_term_id="hearing-support")]
    db.session.commit()
    assert all("t-index-filed" in ids for ids in everywhere("tinnitus"))
    assert residents("zebrafinch tinnitus") == ["t-index-filed"]
    db.session.delete(service.attributes[0])
    db.session.commit()
    assert not any("t-index-filed" in ids for ids in everywhere("tinnitus"))
    assert_same_as_a_rebuild()


def test_archived_unpublished_and_unreachable_entries_leave_residents_search(index_app):
    service = add("t-index-shown", "Test zebrafinch group")
    service.publication_status = "archived"
    db.session.commit()
    assert everywhere("zebrafinch") == ([], ["t-index-shown"], [])  # editors see every entry
    service.publication_status = "published"
    db.session.commit()
    assert residents("zebrafinch") == ["t-index-shown"]
    service.status = "temporarily closed"
    db.session.commit()
    assert residents("zebrafinch") == []
    service.status = "active"
    service.url = None  # no other way to reach it
    db.session.commit()
    assert not service.reachable and residents("zebrafinch") == []
    service.url = "https://example.org/"
    db.session.commit()
    assert residents("zebrafinch") == ["t-index-shown"]
    assert_same_as_a_rebuild()


def test_service_areas_and_coverage_follow_into_the_index(index_app):
    service = add("t-index-local", "Test zebrafinch group", coverage="locality")
    service.service_areas = [ServiceArea(id="t-index-local-wishaw", locality="wishaw")]
    db.session.commit()
    assert residents("zebrafinch", locality="wishaw") == ["t-index-local"]
    assert residents("zebrafinch", locality="airdrie") == []
    service.service_areas = [ServiceArea(id="t-index-local-airdrie", locality="airdrie")]
    db.session.commit()
    assert residents("zebrafinch", locality="wishaw") == []
    assert residents("zebrafinch", locality="airdrie") == ["t-index-local"]
    assert residents("zebrafinch", in_area=False) == []
    service.coverage = "national"
    db.session.commit()
    assert residents("zebrafinch", locality="wishaw") == ["t-index-local"]
    assert residents("zebrafinch", in_area=False) == ["t-index-local"]
    assert_same_as_a_rebuild()


def test_nearest_first_follows_a_moved_place_with_one_location_or_several(index_app):
    add("t-index-one", "Test zebrafinch club A", locations=[KILSYTH])
    add("t-index-two", "Test zebrafinch club B", locations=[WISHAW, (55.90, -3.98)])
    add("t-index-none", "Test zebrafinch club C")

    def nearest(near):
        return [(f.service.id, f.distance_km) for f in search(
            parse_query("zebrafinch"), visible(), near=near).results]

    near_kilsyth = nearest(KILSYTH)
    assert near_kilsyth[0] == ("t-index-one", 0.0)
    assert near_kilsyth[1][0] == "t-index-two" and 8 < near_kilsyth[1][1] < 12
    assert near_kilsyth[2] == ("t-index-none", None)
    db.session.get(Location, "test-index-loc-t-index-one-0").latitude = WISHAW[0] - 0.2
    db.session.get(Location, "test-index-loc-t-index-one-0").longitude = WISHAW[1]
    db.session.commit()
    assert [sid for sid, _km in nearest(KILSYTH)] == ["t-index-two", "t-index-one",
                                                       "t-index-none"]
    assert nearest(WISHAW)[0] == ("t-index-two", 0.0)
    assert_same_as_a_rebuild()


def test_changes_rolled_back_leave_the_documents_as_they_were(index_app):
    service = add("t-index-rolled", "Test zebrafinch group")
    service.name = "Test quokkapie group"
    db.session.flush()
    assert residents("quokkapie") == ["t-index-rolled"]
    db.session.rollback()
    assert residents("quokkapie") == [] and residents("zebrafinch") == ["t-index-rolled"]


def test_deleting_an_entry_removes_its_document(index_app):
    add("t-index-gone", "Test zebrafinch group")
    db.session.delete(db.session.get(Service, "t-index-gone"))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ServiceSearch).where(
        ServiceSearch.service_id == "t-index-gone")) == 0
    assert everywhere("zebrafinch") == ([], [], [])


def test_every_entry_of_the_seeded_directory_has_its_document(index_app):
    assert db.session.scalar(select(func.count()).select_from(ServiceSearch)) \
        == db.session.scalar(select(func.count()).select_from(Service))
    assert_same_as_a_rebuild()


@pytest.mark.parametrize("words", ["dementia", "dementai", "carers", "money advice",
                                   "hard of hearing", "support for unpaid carers", "samh"])
def test_residents_search_and_the_word_conditions_find_and_score_alike(index_app, words):
    """search() reads the document's copies; the editors' list and the API read the
    services through word_conditions(): the same services, with the same scores."""
    query = parse_query(words)
    page = search(query, visible(), per_page=500)
    found, score = word_conditions(query)
    direct = dict(db.session.execute(select(Service.id, score).where(found, *visible())).all())
    assert page.total == len(direct) > 0
    assert {f.service.id: f.score for f in page.results} == direct


def test_a_word_only_one_field_holds_scores_as_if_each_field_were_asked(index_app):
    """A word the word list has only in names (or only as a topic) is not asked of each
    document that has every word; its weight is added. The scores stay those of asking."""
    add("t-index-name-only", "Test zebrafinch club")
    add("t-index-topic-only", "Test lunch group", needs=["hearing-support"])
    add("t-index-both", "Test zebrafinch lunch", "A quokkapie cafe.",
        needs=["hearing-support"])
    expected = {"zebrafinch": {"t-index-name-only": 8, "t-index-both": 8},
                "tinnitus": {"t-index-topic-only": 4, "t-index-both": 4},
                "zebrafinch tinnitus": {"t-index-both": 12},
                "quokkapie zebrafinch": {"t-index-both": 10}}
    for words, scores in expected.items():
        query = parse_query(words)
        page = search(query, visible(), per_page=500)
        ours = {f.service.id: f.score for f in page.results if f.service.id.startswith("t-")}
        found, score = word_conditions(query)
        asked = dict(db.session.execute(select(Service.id, score).where(
            found, Service.id.startswith("t-index-"))).all())
        assert ours == asked == scores, words


def test_a_misspelt_name_finds_the_word_of_the_directory_it_was_meant_to_be(index_app):
    add("t-index-spelt", "Test quokkapie lunch club")
    page = search(parse_query("quokapie lunch"), visible())
    assert [f.service.id for f in page.results] == ["t-index-spelt"]
    assert page.query.corrections == {"quokapie": "quokkapie"}
    assert editors("quokapie") == api("quokapie") == ["t-index-spelt"]
    assert search(parse_query("quokkapie"), visible()).query.corrections == {}
    # A slip in the first two letters is not looked for.
    assert residents("uqokkapie") == []


def test_a_word_two_names_are_as_close_to_corrects_nothing(index_app):
    add("t-index-finch", "Test zebrafinch club")
    add("t-index-filch", "Test zebrafilch club")
    page = search(parse_query("zebrafiach"), visible())
    assert (page.total, page.query.corrections) == (0, {})


def test_a_correction_to_a_word_only_unpublished_entries_hold_is_not_shown(index_app):
    add("t-index-draft", "Test quokkapie lunch club", publication_status="draft")
    page = search(parse_query("quokapie"), visible())
    assert (page.total, page.query.corrections) == (0, {})
    assert editors("quokapie") == ["t-index-draft"]


def test_a_page_past_the_end_still_says_how_many_there_are(index_app):
    add("t-index-paged", "Test zebrafinch group")
    page = search(parse_query("zebrafinch"), visible(), page=3)
    assert (page.results, page.total, page.any_word) == ([], 1, False)
    fallback = search(parse_query("zebrafinch quokkapie"), visible(), page=2)
    assert (fallback.results, fallback.total, fallback.any_word) == ([], 1, True)
    nothing = search(parse_query("quokkapie"), visible())
    assert (nothing.results, nothing.total, nothing.any_word) == ([], 0, False)


def test_search_reads_only_the_columns_the_document_copies(index_app):
    with pytest.raises(ValueError, match="service.minimum_age"):
        search(parse_query("carers"), [Service.minimum_age > 18])


def test_an_oruk_import_writes_the_documents_of_what_it_imports(index_app):
    def import_records(records, publish=False):
        return import_oruk_records(records, "search-index", publish)

    record = example_record_in_the_area()
    with imports_removed_afterwards():
        import_records([record])
        assert editors("counselling")[:1] == [record["id"]]  # a draft: editors only
        assert record["id"] not in residents("counselling")
        import_records([{**record, "name": "Zebrafinch Counselling (evenings)"}], publish=True)
        assert residents("zebrafinch") == [record["id"]]
        assert_same_as_a_rebuild()
    assert editors("zebrafinch") == []


def test_the_rebuild_command_rewrites_the_same_documents(app):
    from click.testing import CliRunner
    from flask.cli import ScriptInfo

    from mle.cli import mle_cli

    with app.app_context():
        kept = documents()
        db.session.execute(db.delete(ServiceSearch))
        db.session.commit()
        assert documents() == set()
    result = CliRunner().invoke(mle_cli, ["rebuild-search-index"],
                                obj=ScriptInfo(create_app=lambda: app))
    assert result.exit_code == 0, result.output
    assert result.output.strip().splitlines()[-1] == f"{len(kept)} search documents"
    with app.app_context():
        assert documents() == kept
        assert residents("dementia")


@pytest.fixture
def empty_database_url(tmp_path):
    """A database of its own, for migrating up and down: a SQLite file, or a database on
    the PostgreSQL server the tests use."""
    base = os.environ.get("DATABASE_URL")
    if not base:
        yield f"sqlite:///{tmp_path / 'migrated.db'}"
        return
    import psycopg

    admin = base.replace("postgresql+psycopg://", "postgresql://", 1)
    name = f"mle_test_index_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"')
    yield admin.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


BEFORE_THE_INDEX = [
    "INSERT INTO organization (id, name, description) VALUES ('m-org', 'Zebrafinch Trust', '')",
    "INSERT INTO service (id, organization_id, name, description, status, publication_status, "
    "coverage, needs_editor, reachable) VALUES "
    "('m-one', 'm-org', 'Quokkapie Caf\u00e9', 'Lunch for carers.', 'active', 'published', "
    "'locality', false, true), "
    "('m-two', 'm-org', 'Test draft group', '', 'active', 'draft', 'area', false, true)",
    "INSERT INTO taxonomy_term (id, name, description) VALUES "
    "('hearing-support', 'Hearing loss support', '')",
    "INSERT INTO attribute (id, link_id, link_entity, taxonomy_term_id) VALUES "
    "('m-one-hearing', 'm-one', 'service', 'hearing-support')",
    "INSERT INTO service_area (id, service_id, locality) VALUES ('m-one-w', 'm-one', 'wishaw')",
    "INSERT INTO location (id, location_type, latitude, longitude) VALUES "
    "('m-loc', 'physical', 55.7777, -3.9212)",
    "INSERT INTO service_at_location (id, service_id, location_id) VALUES "
    "('m-one-at', 'm-one', 'm-loc')",
    "INSERT INTO location (id, location_type, latitude, longitude) VALUES "
    "('m-loc-k', 'physical', 55.9738, -4.0423), ('m-loc-w', 'physical', 55.7777, -3.9212)",
    "INSERT INTO service_at_location (id, service_id, location_id) VALUES "
    "('m-two-at-k', 'm-two', 'm-loc-k'), ('m-two-at-w', 'm-two', 'm-loc-w')",
]


def test_the_migrations_fill_the_documents_and_go_back(empty_database_url):
    from flask_migrate import downgrade, upgrade
    from sqlalchemy import inspect, text

    from mle import create_app
    from mle.directory.search_index import localities, places, words

    migrated = create_app({"SQLALCHEMY_DATABASE_URI": empty_database_url, "TESTING": True})
    documents = ServiceSearch.__table__
    with migrated.app_context():
        upgrade(revision="0019_report_releases")
        for statement in BEFORE_THE_INDEX:  # around the ORM: no documents are written
            db.session.execute(text(statement))
        db.session.commit()
        upgrade(revision="0020_search_index")
        added = {"sort_name", "latitudes", "longitudes"}  # by migration 0021
        one = db.session.execute(select(*(c for c in documents.c if c.name not in added))
                                 .where(documents.c.service_id == "m-one")).one()
        assert (one.name, one.publication_status, one.coverage, one.reachable) == (
            "Quokkapie Caf\u00e9", "published", "locality", True)
        assert one.localities == localities(["wishaw"])
        assert (one.locations, one.latitude, one.longitude) == tuple(
            places([(55.7777, -3.9212)]).values())
        assert {k: getattr(one, k) for k in words("", "", "", [])} == words(
            "Quokkapie Caf\u00e9", "Lunch for carers.", "Zebrafinch Trust", ["hearing-support"])
        db.session.remove()

        upgrade(revision="0021_search_words")
        assert db.session.scalar(select(ServiceSearch.sort_name).where(
            ServiceSearch.service_id == "m-one")) == "quokkapie cafe"
        assert db.session.execute(select(ServiceSearch.latitudes, ServiceSearch.longitudes)
                                  .where(ServiceSearch.service_id == "m-two")).one() == (
            [55.7777, 55.9738], [-3.9212, -4.0423])
        assert {("quokkapie", "name"), ("cafe", "name"), ("lunch", "description"),
                ("for", "description"), ("carers", "description"),
                ("zebrafinch", "organisation"), ("trust", "organisation"), ("test", "name"),
                ("draft", "name"), ("group", "name")} == listed_words()
        assert_same_as_a_rebuild()
        assert residents("quokkapie cafe", locality="wishaw") == ["m-one"]
        assert residents("tinnitus zebrafinch") == ["m-one"]
        assert editors("test group") == ["m-two"] and residents("test group") == []
        db.session.remove()  # the migration's connection takes its locks

        downgrade(revision="0020_search_index")
        assert "search_word" not in inspect(db.engine).get_table_names()
        assert "sort_name" not in {c["name"] for c in inspect(db.engine).get_columns(
            "service_search")}
        db.session.remove()
        downgrade(revision="0019_report_releases")
        tables = set(inspect(db.engine).get_table_names())
        assert "service" in tables
        assert not {t for t in tables if t.startswith("service_search")}
        db.session.remove()
        upgrade()
        assert residents("zebrafinch") == ["m-one"]
        db.session.remove()
        db.engine.dispose()
