"""The self-assessment without an account: the seeded (provisional) 2026 questionnaire, the page in
three languages and the API, with problem documents naming the criterion."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from migration.models import Questionnaire

pytestmark = pytest.mark.django_db

# 100 + 90 + 50 + 45 + 25 + 60 + 0 + 0 + 30 = 400 under the seeded provisional weights.
EXACTLY_400 = {
    "age": "25-34",
    "education": "master",
    "kazakh": "b1",
    "russian": "fluent",
    "english": "intermediate",
    "experience": "3-5",
    "competences": "not-listed",
    "job-offer": "none",
    "adaptability": "worked",
}
ONE_LESS = {**EXACTLY_400, "adaptability": "studied", "kazakh": "b1", "english": "intermediate"}  # 395


def test_the_seeded_questionnaire_is_published_and_provisional():
    questionnaire = Questionnaire.objects.get(version="points-2026")
    assert questionnaire.is_published and questionnaire.provisional
    assert questionnaire.pass_mark == 400
    assert questionnaire.criteria.count() == 9


def test_questionnaire_api_in_the_requested_language():
    client = APIClient()
    english = client.get("/api/v1/foreign/questionnaire/?lang=en").json()
    russian = client.get("/api/v1/foreign/questionnaire/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert english["version"] == "points-2026"
    assert english["pass_mark"] == 400
    assert english["language"] == "en"
    age = english["criteria"][0]
    assert (age["id"], age["label"]) == ("age", "Age")
    assert {"id": "25-34", "label": "25–34", "points": 100} in age["options"]
    assert russian["criteria"][0]["label"] == "Возраст"
    assert client.get("/api/v1/foreign/questionnaire/?lang=de").status_code == 400


def test_self_assessment_api_scores_and_names_the_version():
    response = APIClient().post("/api/v1/foreign/self-assessment/", {"answers": EXACTLY_400}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["total"], body["passed"], body["version"], body["pass_mark"]) == (
        400,
        True,
        "points-2026",
        400,
    )
    assert {"criterion": "age", "option": "25-34", "points": 100} in body["points"]
    below = APIClient().post("/api/v1/foreign/self-assessment/", {"answers": ONE_LESS}, format="json").json()
    assert (below["total"], below["passed"]) == (395, False)


@pytest.mark.parametrize(
    ("answers", "field"),
    [
        ({k: v for k, v in EXACTLY_400.items() if k != "education"}, "answers/education"),
        ({**EXACTLY_400, "age": "200"}, "answers/age"),
        ({**EXACTLY_400, "height": "tall"}, "answers/height"),
    ],
)
def test_a_missing_or_invalid_answer_is_a_problem_naming_it(answers, field):
    response = APIClient().post("/api/v1/foreign/self-assessment/", {"answers": answers}, format="json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert [error["field"] for error in response.json()["errors"]] == [field]


def test_self_assessment_api_refuses_a_body_without_answers():
    response = APIClient().post("/api/v1/foreign/self-assessment/", {"answers": ["age"]}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "answers"


@pytest.mark.parametrize(("lang", "title"), [("en", "Age"), ("ru", "Возраст"), ("kk", "Жасы")])
def test_the_page_asks_in_each_language(client, lang, title):
    response = client.get(f"/{lang}/foreign/self-assessment/")
    assert response.status_code == 200
    assert title in response.content.decode()


def test_the_page_shows_points_total_and_pass(client):
    response = client.post("/en/foreign/self-assessment/", EXACTLY_400)
    page = response.content.decode()
    assert "You reach the pass mark" in page
    assert "data-total>400<" in page
    response = client.post("/en/foreign/self-assessment/", ONE_LESS)
    assert "You do not reach the pass mark" in response.content.decode()


def test_the_page_keeps_answers_and_names_the_missing_question(client):
    partial = {k: v for k, v in EXACTLY_400.items() if k != "experience"}
    response = client.post("/en/foreign/self-assessment/", partial)
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == ["experience"]
    assert form["age"].value() == "25-34"


def test_self_assessment_api_refuses_unknown_fields():
    response = APIClient().post(
        "/api/v1/foreign/self-assessment/", {"answers": EXACTLY_400, "bonus": 100}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "bonus"
