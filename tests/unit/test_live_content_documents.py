"""Content tests of the live questionnaires: the documents generated from them are up to date.

These follow the clinical content in questionnaires/, so they change when it does; the engine
itself is tested on the fixture modules in tests/fixtures/questionnaires/.
"""

from pathlib import Path

from mle.content import load_content
from mle.content.coverage import coverage_table
from mle.content.hazards import load_hazard_log

ROOT = Path(__file__).resolve().parents[2]


def test_live_content_coverage_table_in_docs_is_up_to_date():
    content = load_content(ROOT / "questionnaires")
    published = (ROOT / "docs" / "content.md").read_text()
    assert coverage_table(content) in published, (
        "docs/content.md is stale: run flask mle check-content --write-coverage docs/content.md")


def test_live_content_hazard_log_in_docs_is_up_to_date():
    from mle.cli import HAZARD_LOG, _hazard_document
    from mle.content.hazards import hazard_table

    content = load_content(ROOT / "questionnaires")
    hazards, errors = load_hazard_log(HAZARD_LOG, content, ROOT)
    assert errors == []
    published = (ROOT / "docs" / "clinical-safety" / "hazard-log.md").read_text()
    assert published == _hazard_document(hazard_table(hazards)), (
        "docs/clinical-safety/hazard-log.md is stale: run flask mle check-content "
        "--write-hazard-log docs/clinical-safety/hazard-log.md")


def test_live_content_what_you_told_us_reports_answers_not_general_statements():
    # "What you told us" lists the reason of every rule that depends on what was answered: each
    # must say what the person told us or what their answers show, never a general truth.
    content = load_content(ROOT / "questionnaires")
    reports = ("told us", "answers show", "measurements show")
    general = [(module.id, o.id, o.because) for module in content.modules.values()
               for o in module.rules.outcomes
               if not o.when.holds_for_everyone_who_answered
               and not any(words in o.because for words in reports)]
    assert general == []
