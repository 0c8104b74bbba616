"""Drive the resident journey through the test client, answering from content definitions.

Answers not given in `answers` get a valid default, so tests keep working when content grows.
"""

from __future__ import annotations

from mle.content import Question
from mle.directory.postcodes import normalise_postcode


def default_answer(question: Question):
    if question.type == "single_choice":
        return question.options[0].value
    if question.type == "multiple_choice":
        return [question.none_option.value if question.none_option else question.options[0].value]
    if question.type == "yes_no":
        return "no"
    if question.type == "number":
        return str(int((question.min + question.max) / 2))
    return "" if question.optional else "An answer"


def form_answers(case) -> dict:
    """A content test case's answers as a person enters them in the forms."""
    answers = {}
    for question_id, value in case.answers.items():
        if isinstance(value, bool):
            value = "yes" if value else "no"
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        answers[question_id] = value if isinstance(value, list) else str(value)
    return answers


def about_of(case) -> dict:
    """A content test case's about-you answers, with the journey's defaults."""
    return {"answering_for": case.about.get("answering_for", "self"),
            "age_band": case.about.get("age_band", "65_74")}


def begin(client, answering_for="self", age_band="65_74", postcode="ML5 2QT"):
    start = client.get("/")
    client.post("/start", {"csrf_token": start.csrf_token})
    about = {"answering_for": answering_for, "age_band": age_band, "postcode": postcode}
    page = client.get("/about-you")
    response = client.client.post("/about-you", data={"csrf_token": page.csrf_token, **about})
    if response.status_code == 200:  # a postcode not placed exactly: confirmed, as a person would
        response = client.client.post("/about-you", data={
            "csrf_token": page.csrf_token, "placed": normalise_postcode(postcode), **about})
    assert response.status_code == 302, f"about you was not accepted: {response.status_code}"
    return response


def answer_questions(client, content, answers: dict | None = None, limit: int = 400):
    """Answer each question the service asks until it shows check your answers."""
    answers = answers or {}
    location = None
    page = client.get("/check-answers", expect=302)
    location = page.location
    for _ in range(limit):
        if location.endswith("/check-answers"):
            return
        module_id, question_id = location.rstrip("/").split("/")[-2:]
        question = content.module(module_id).question(question_id)
        value = answers.get(module_id, {}).get(question_id, default_answer(question))
        response = client.submit(location, {"answer": value})
        location = response.location
    raise AssertionError("the journey did not reach check your answers")


def complete(client, content, modules: list[str], answers: dict | None = None, **about):
    begin(client, **about)
    client.submit("/topics", {"topics": modules})
    answer_questions(client, content, answers)
    client.submit("/check-answers")
    return client.get("/result")
