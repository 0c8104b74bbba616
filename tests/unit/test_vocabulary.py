"""The service's codes are written once: every code has a label in every language's template,
the referral status machine allows only what a team can really do, and no other module spells
the codes out again."""

import re
from pathlib import Path

import pytest

from mle import vocabulary
from mle.vocabulary import labels

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("name", sorted(labels.vocabularies()))
def test_every_code_has_a_label_and_every_label_a_code(name):
    codes, label_of = labels.vocabularies()[name]
    assert list(label_of) == list(codes), f"{name}: labels out of step with the codes"
    assert all(str(text).strip() for text in label_of.values())


def test_a_request_moves_forward_only():
    assert vocabulary.next_referral_statuses("new") == ("accepted", "declined")
    assert vocabulary.may_follow("accepted", "in_progress")
    assert vocabulary.may_follow("in_progress", "closed")
    assert not vocabulary.may_follow("new", "closed"), "a request is accepted before it is closed"
    assert not vocabulary.may_follow("in_progress", "accepted"), "no going back"
    assert not vocabulary.may_follow("closed", "in_progress"), "a closed request stays closed"
    assert not vocabulary.may_follow("declined", "accepted")
    assert not vocabulary.may_follow("unknown", "accepted")
    for status in vocabulary.REFERRAL_STATUSES:
        assert set(vocabulary.next_referral_statuses(status)) <= set(vocabulary.REFERRAL_STATUSES)


def test_open_statuses_are_those_a_team_can_still_act_on():
    assert set(vocabulary.OPEN_REFERRAL_STATUSES) == {
        s for s in vocabulary.REFERRAL_STATUSES if vocabulary.next_referral_statuses(s)}


def test_age_bands_run_from_youngest_to_oldest_without_gaps():
    ranges = [vocabulary.AGE_BAND_RANGES[band] for band in vocabulary.AGE_BANDS]
    assert ranges[0][0] == 0
    for (_, highest), (lowest, _) in zip(ranges, ranges[1:], strict=False):
        assert lowest == highest + 1


def test_levels_rank_from_advice_to_urgent():
    assert vocabulary.level_rank("advice") < vocabulary.level_rank("referral")
    assert vocabulary.level_rank("referral") < vocabulary.level_rank("urgent")
    assert set(vocabulary.SIGNPOSTING_LEVELS) < set(vocabulary.LEVELS)


def test_a_label_falls_back_as_asked(app):
    with app.test_request_context():
        assert labels.label("referral_status", "new") == "Not yet acted on"
        assert labels.label("channel", None, "Not known") == "Not known"
        assert labels.label("level", "unheard-of") == "unheard-of"


# Codes distinctive enough that listing them in another module (as a key, or an item of a tuple
# or list) means a second copy; comparing a value with one is using it, not copying it.
_DISTINCTIVE = ("under_16", "85_plus", "in_progress", "try_advice", "talk_to_someone",
                "someone_else", "in_person")


def test_no_other_module_spells_the_codes_out_again():
    codes = "|".join(_DISTINCTIVE)
    pattern = re.compile(rf"""["']({codes})["']\s*[:,]""")
    copies = []
    for path in sorted((ROOT / "mle").rglob("*.py")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith(("mle/vocabulary/", "mle/migrations/")):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                copies.append(f"{relative}:{number}: {line.strip()}")
    assert copies == []
