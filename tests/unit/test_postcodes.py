import pytest

from mle.directory.postcodes import (
    InvalidPostcode,
    is_scottish,
    normalise_postcode,
    postcode_district,
    postcode_sector,
)


@pytest.mark.parametrize(("text", "expected"), [
    ("ML1 1AA", "ML1 1AA"), ("ml11aa", "ML1 1AA"), ("  ml1   1aa ", "ML1 1AA"),
    ("G67 3EN", "G67 3EN"), ("g673en", "G67 3EN"), ("EH47 9AF", "EH47 9AF"),
    ("SW1A 1AA", "SW1A 1AA"), ("W1A 0AX", "W1A 0AX"), ("M1 1AE", "M1 1AE"),
])
def test_valid_postcodes_are_normalised(text, expected):
    assert normalise_postcode(text) == expected


@pytest.mark.parametrize("text", [
    "", "ML1", "ML1 1A", "1ML 1AA", "ML1 1AAA", "ML1 1CI", "ML1-1AA!", "<script>",
    "ML11 1AA 1", "ZZZ9 9ZZ", "ML1 AAA", "\x00ML1 1AA",
])
def test_invalid_postcodes_are_refused(text):
    with pytest.raises(InvalidPostcode):
        normalise_postcode(text)


@pytest.mark.parametrize(("postcode", "scottish"), [
    ("ML1 1AA", True), ("G67 3EN", True), ("ZE1 0AA", True), ("AB10 1AA", True),
    ("SW1A 1AA", False), ("M1 1AE", False), ("CA1 1AA", False), ("B1 1AA", False),
])
def test_scottish_postcode_areas(postcode, scottish):
    assert is_scottish(postcode) is scottish


def test_sector_and_district():
    assert postcode_district("ML5 2QT") == "ML5"
    assert postcode_sector("ML5 2QT") == "ML5 2"
    assert postcode_sector("EH47 9AF") == "EH47 9"
