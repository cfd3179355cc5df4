"""Match lists show an absolute 0-100 score and its reason, never a share of the best result;
weak matches wait under "more results"."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.utils import translation

from mobility.exchange.scores import THRESHOLD_POINTS, match_score
from tests.mobility.test_portal import _market, seeker  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _shown(score, relation="same occupation", matched=2, missing=4):
    return SimpleNamespace(score=score, relation=relation, matched=["a"] * matched, missing=["b"] * missing)


def test_the_best_result_of_a_list_is_not_100_when_its_match_is_partial():
    best = match_score(_shown(0.7))
    assert best.points == 52  # 0.7 of the engine's 1.35
    assert match_score(_shown(0.07)).points == 5  # not 10% of the best


def test_the_reason_counts_the_required_skills_in_the_pages_language():
    with translation.override("en"):
        assert match_score(_shown(0.9)).reason == "same occupation, 2 of 6 required skills"
        assert match_score(_shown(0.9, "same unit group 2411", 1, 0)).reason == (
            "closely related occupation, 1 of 1 required skill"
        )
        assert match_score(_shown(0.9, matched=0, missing=0)).reason == "same occupation"


def test_the_threshold_decides_more_results():
    assert match_score(_shown(0.1)).below_threshold
    assert not match_score(_shown(1.35 * THRESHOLD_POINTS / 100)).below_threshold


def test_vacancies_for_me_show_the_score_its_reason_and_put_weak_ones_aside(client, seeker, project_taxonomy):  # noqa: F811
    from mobility.exchange import services

    _market()
    services.profile_set_skills(profile=seeker, skills=[("1С:Бухгалтерия", 3)], by=seeker.user)
    client.force_login(seeker.user)
    body = client.get("/en/me/for-me/").content.decode()
    assert "of 100" in body and "required skill" in body
    assert '<meter min="0" max="100"' in body
    top, _, weak = body.partition('class="more-results"')
    assert "Бухгалтер" in top
    if weak:
        assert "Электрогазосварщик" in weak  # an unrelated occupation is not "for you"
