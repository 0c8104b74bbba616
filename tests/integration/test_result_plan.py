"""The plan that opens a result, and the details below it, through the real content and pages:
most important step first, one route to each team, each service shown in full once, what the
person told us and nothing said to everyone, and "they" for someone answering for another."""

from __future__ import annotations

import re

from sqlalchemy import select

from mle.database import db
from mle.models import OutboxMessage
from mle.rules import evaluate_module
from mle.security.encryption import decrypt_json
from mle.vocabulary import level_rank, priority_rank
from tests.integration.test_journey import only_assessment
from tests.integration.test_results_kept import link, pdf_text, send_email
from tests.journeys import complete, form_answers


def case(content, module_id: str, case_id: str) -> dict:
    return form_answers(next(c for c in content.module(module_id).tests if c.id == case_id))


def bathing_and_falls(client, content, falls_case="one-fall-and-unsteady", **about):
    """An 82-year-old who fell in the shower and is unsteady: two topics."""
    about = {"age_band": "75_84", **about}
    return complete(client, content, ["bathing", "falls"], {
        "bathing": case(content, "bathing", "fell-in-shower-standing-hard"),
        "falls": case(content, "falls", falls_case)}, **about)


def words(node) -> str:
    return " ".join(node.get_text(" ").split())


def emailed_body(client, app, result) -> str:
    send_email(client, link(result, "Email your results"))
    with app.app_context():
        return decrypt_json(db.session.scalars(select(OutboxMessage)).one().body)


def test_the_plan_opens_the_result_with_at_most_five_steps_most_important_first(
        client, content, app):
    result = bathing_and_falls(client, content)
    main = str(result.soup.find("main"))
    plan = result.soup.select_one(".mle-plan")
    assert plan is not None
    assert main.index('class="mle-plan"') < main.index('class="mle-result-section"')
    steps = plan.select("li[data-step]")
    levels = [li["data-step"] for li in steps]
    assert 1 <= len(steps) <= 5
    assert levels == sorted(levels, key=lambda level: -level_rank(level))
    # Every team the rules offer comes first, the more pressing first.
    _, state = only_assessment(app)
    teams = {}
    for module_id in ("bathing", "falls"):
        offered = evaluate_module(content.module(module_id).rules, state.answers[module_id],
                                  state.about.for_rules()).referrals
        for offer in offered:
            teams[offer.team] = max(teams.get(offer.team, -1), priority_rank(offer.priority))
    assert len(teams) >= 2, "the journey should offer two teams"
    expected = sorted(teams, key=lambda team: -teams[team])
    shown = [re.search(r"/ask/([\w-]+)$", li.a["href"]).group(1)
             for li in steps if li["data-step"] == "referral"]
    assert shown[0] == expected[0] and sorted(shown) == sorted(expected)
    # One line each: an action, and the topics it is for.
    assert all("(for " in words(li) for li in steps)


def test_urgent_help_comes_before_the_plan(client, content):
    result = bathing_and_falls(client, content, falls_case="hurt-in-a-fall-yesterday")
    main = str(result.soup.find("main"))
    assert main.index('class="mle-urgent"') < main.index('class="mle-plan"')
    urgent = result.soup.select_one(".mle-urgent")
    # Short sentences and a list, not one long paragraph.
    assert urgent.find("ol") is not None
    assert all(len(words(p).split()) <= 40 for p in urgent.find_all("p"))


def test_a_team_we_can_send_a_request_to_is_reached_by_that_request_alone(client, content, app):
    falls_team = app.extensions["mle_site"].area.teams["falls-service"]
    assert falls_team.takes_requests
    result = bathing_and_falls(client, content)
    ask = "/result/bathing/ask/falls-service"
    assert result.soup.select_one(f'.mle-plan a[href="{ask}"]') is not None
    print_text = client.get("/result/print").text
    pdf = pdf_text(client.get(link(result, "Download your results as a PDF")).data)[1]
    email = " ".join(emailed_body(client, app, result).split())
    for text in (result.text, print_text, pdf, email):
        assert falls_team.how_to_get_assessment not in text
    assert "Falls prevention service: ask them to contact you" in email


def test_a_team_that_takes_no_requests_is_reached_the_way_it_says(client, content, app):
    # Answering for someone else: "Their GP practice", and how they get there.
    gp = app.extensions["mle_site"].area.teams["gp-practice"].worded_for(True)
    assert not gp.takes_requests and gp.name == "Their GP practice"
    assert "their GP practice" in gp.how_to_get_assessment
    result = complete(client, content, ["memory"], {"memory": case(
        content, "memory", "lives-alone-mixes-medicines-dispenser-withheld")},
        answering_for="someone_else", age_band="85_plus")
    plan = result.soup.select_one(".mle-plan")
    gp_steps = [li for li in plan.select('li[data-step="referral"]')
                if gp.name in words(li)]
    assert len(gp_steps) == 1 and gp.how_to_get_assessment in words(gp_steps[0])
    assert result.soup.find("a", href=re.compile("/ask/gp-practice")) is None
    # Given once: the details point to the step instead of saying it again.
    assert result.text.count(gp.how_to_get_assessment) == 1


def test_a_service_for_two_topics_is_shown_in_full_once(client, content, app):
    result = bathing_and_falls(client, content, falls_case="hurt-in-a-fall-yesterday")
    cards = [h5["id"] for h5 in result.soup.select(".mle-result-section h5[id^=service-]")]
    assert cards and len(cards) == len(set(cards))
    bathing, falls = (result.soup.find("section", attrs={"aria-labelledby": f"section-{m}"})
                      for m in ("bathing", "falls"))
    pointer = falls.find("p", string="Services shown under another topic that help with this too:")
    assert pointer is not None, "the journey should match a service to both topics"
    name = re.sub(r" \(Bathing and showering\)$", "", words(pointer.find_next("li")))
    assert [words(h5) for h5 in bathing.select("h5[id^=service-]")].count(name) == 1
    assert "Also for Falls and feeling steady." in words(bathing)
    assert name not in [words(h5) for h5 in falls.select("h5")]
    email = emailed_body(client, app, result)
    assert email.count(f"* {name}") == 1


def test_what_you_told_us_is_only_what_the_answers_say(client, content):
    result = bathing_and_falls(client, content)
    for module_id in ("bathing", "falls"):
        module = content.module(module_id)
        section = result.soup.find("section", attrs={"aria-labelledby": f"section-{module_id}"})
        told = [words(li) for li in section.find("h4", string="What you told us")
                .find_next("ul").find_all("li")]
        general = [o.because for o in module.rules.outcomes
                   if o.when.holds_for_everyone_who_answered]
        assert told and general
        assert not set(told) & set(general), module_id
        assert all(text.startswith("You told us") for text in told)


def test_a_daughter_answering_for_her_mother_reads_they_everywhere(client, content, app):
    result = bathing_and_falls(client, content, falls_case="hurt-in-a-fall-yesterday",
                               answering_for="someone_else", age_band="85_plus")
    flag = next(f for f in content.module("falls").rules.urgent
                if f.id == "fall-injury-cannot-get-up")
    print_text = client.get("/result/print").text
    pdf = pdf_text(client.get(link(result, "Download your results as a PDF")).data)[1]
    email = " ".join(emailed_body(client, app, result).split())
    for text in (result.text, print_text, pdf, email):
        assert flag.message_for_someone_else in text
        assert flag.message not in text
        assert not re.search(r"You told us (you|your)\b", text)
        assert "You told us they" in text
    assert "What you told us about them" in result.text and "What you told us about them" in email
    assert "may not be safe for them" in result.text
