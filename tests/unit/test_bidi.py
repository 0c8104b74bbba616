"""Numbers kept left to right inside right-to-left text without markup."""

from __future__ import annotations

from mle.i18n.bidi import LRI, PDI, isolate, isolate_numbers


def test_a_grouped_number_in_a_sentence_is_isolated_whole():
    text = "سامریٹنز کو 116 123 پر کال کریں"
    assert isolate_numbers(text) == f"سامریٹنز کو {LRI}116 123{PDI} پر کال کریں"
    assert isolate_numbers("0800 83 85 87 lub 0808 808 3000") == (
        f"{LRI}0800 83 85 87{PDI} lub {LRI}0808 808 3000{PDI}")


def test_a_single_number_needs_no_isolate_and_isolating_twice_changes_nothing():
    assert isolate_numbers("NHS 24 111") == f"NHS {LRI}24 111{PDI}"  # "24 111" is one run
    assert isolate_numbers("call 999 now") == "call 999 now"
    once = isolate_numbers("116 123")
    assert isolate_numbers(once) == once


def test_a_value_is_isolated_and_nothing_stays_nothing():
    assert isolate("ML1 1AA") == f"{LRI}ML1 1AA{PDI}"
    assert isolate("") == "" and isolate(None) == ""
