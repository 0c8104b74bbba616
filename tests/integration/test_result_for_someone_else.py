"""A daughter answering for her mother reads advice, equipment and teams about "them": every
text the result shows that has a version for someone answering for another is shown in that
version, on the page and in the email, and the person's own result keeps "you"."""

from __future__ import annotations

from tests.integration.test_result_plan import case, emailed_body
from tests.journeys import complete

ABOUT_MOTHER = {"answering_for": "someone_else", "age_band": "85_plus"}


def _texts(page) -> str:
    return " ".join(page.soup.find(id="main-content").get_text(" ").split())


def _flat(text: str) -> str:
    return " ".join(text.split())


def _advice_shown(result, module) -> list:
    """The module's advice whose own heading the result's details show."""
    headings = {_flat(h.get_text()) for h in result.soup.select(".mle-result-section h5")}
    return [a for a in module.advice.values()
            if _flat(a.title) in headings or _flat(a.title_for_someone_else or "") in headings]


def _bathing(client, content, **about):
    return complete(client, content, ["bathing"],
                    {"bathing": case(content, "bathing", "reaching-and-taps")}, **about)


def test_advice_on_the_page_is_worded_for_the_person_answered_for(client, content):
    result = _bathing(client, content, **ABOUT_MOTHER)
    page, shown = _texts(result), _advice_shown(result, content.module("bathing"))
    assert shown, "the journey should give advice"
    for advice in shown:
        assert advice.body_for_someone_else, advice.id
        for own, theirs in zip(advice.body, advice.body_for_someone_else, strict=True):
            assert _flat(theirs) in page, theirs
            if own != theirs:
                assert _flat(own) not in page, own


def test_equipment_is_described_and_cautioned_about_them(client, content):
    page = _texts(_bathing(client, content, **ABOUT_MOTHER))
    items = [i for i in content.equipment.values() if i.name in page
             and i.description_for_someone_else]
    assert items, "the journey should suggest equipment"
    for item in items:
        assert _flat(item.description_for_someone_else) in page
        assert _flat(item.description) not in page
        for caution in item.not_without_advice_for_someone_else:
            assert _flat(caution) in page, caution


def test_the_persons_own_result_keeps_you(client, content):
    result = _bathing(client, content)
    page, shown = _texts(result), _advice_shown(result, content.module("bathing"))
    assert shown
    for advice in shown:
        for own, theirs in zip(advice.body, advice.body_for_someone_else, strict=True):
            assert _flat(own) in page
            if own != theirs:
                assert _flat(theirs) not in page


def test_the_gp_route_and_urgent_lines_say_their_gp_practice(client, content, app):
    result = complete(client, content, ["falls"], {"falls": case(
        content, "falls", "hurt-in-a-fall-yesterday")}, **ABOUT_MOTHER)
    text = _texts(result)
    nhs24 = app.extensions["mle_site"].area.urgent_contacts["nhs-24"]
    assert nhs24.name in text, "a fall with an injury yesterday should list NHS 24"
    assert _flat(nhs24.when_for_someone_else) in text
    assert _flat(nhs24.when) not in text
    assert "your GP practice" not in text


def test_the_email_says_them_too(client, content, app):
    result = _bathing(client, content, **ABOUT_MOTHER)
    body = _flat(emailed_body(client, app, result))
    advice = [a for a in content.module("bathing").advice.values()
              if _flat(a.title_for_someone_else or a.title) in body]
    assert advice
    for item in advice:
        changed = [(own, theirs) for own, theirs
                   in zip(item.body, item.body_for_someone_else, strict=True) if own != theirs]
        for own, theirs in changed:
            assert _flat(theirs) in body and _flat(own) not in body
