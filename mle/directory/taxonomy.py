"""Our two ORUK taxonomies: the needs taxonomy (directory/needs.yaml) and eligibility criteria.

A need's taxonomy term id is the need tag itself ('carer-support'), so matching by need is one
indexed lookup of attribute.taxonomy_term_id. A service from an ORUK feed that uses another
taxonomy is mapped to our needs by adding attributes that link it to these terms.
"""

from __future__ import annotations

from collections.abc import Mapping

from mle.database import db
from mle.models import Taxonomy, TaxonomyTerm

NEEDS_TAXONOMY = "mle-needs"
ELIGIBILITY_TAXONOMY = "mle-eligibility"
CARERS_TERM = "eligibility-carers"
# Criteria a person must meet to use a service that carries the term. The key is also the
# word used in the seed YAML's `eligibility` list.
ELIGIBILITY_TERMS = {"carers": (CARERS_TERM, "Unpaid carers only")}


def sync_taxonomies(needs: Mapping[str, str]) -> None:
    """Create or update the needs taxonomy (id -> label) and the eligibility taxonomy."""
    _taxonomy(NEEDS_TAXONOMY, "Needs", "The needs the self-assessment signposts to.")
    _taxonomy(ELIGIBILITY_TAXONOMY, "Eligibility", "Who a service is for, when it is not "
              "everyone within its age range and area.")
    for need_id, label in needs.items():
        _term(need_id, label, NEEDS_TAXONOMY, "Needs")
    for word, (term_id, label) in ELIGIBILITY_TERMS.items():
        _term(term_id, label, ELIGIBILITY_TAXONOMY, "Eligibility", word)
    db.session.flush()


def _taxonomy(taxonomy_id: str, name: str, description: str) -> None:
    taxonomy = db.session.get(Taxonomy, taxonomy_id) or Taxonomy(id=taxonomy_id)
    taxonomy.name, taxonomy.description, taxonomy.version = name, description, "1"
    db.session.add(taxonomy)


def _term(term_id: str, name: str, taxonomy_id: str, taxonomy_name: str,
          code: str | None = None) -> None:
    term = db.session.get(TaxonomyTerm, term_id) or TaxonomyTerm(id=term_id)
    term.name, term.description, term.term = name, name, code or term_id
    term.taxonomy_id, term.taxonomy = taxonomy_id, taxonomy_name
    db.session.add(term)
