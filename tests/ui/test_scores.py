"""Match lists show the matcher's absolute 0-100 score and its reason, never a share of the best
result; weak matches wait under "more results"."""

from __future__ import annotations

import pytest

from mobility.exchange.scores import match_score
from tests.mobility.test_portal import _market, seeker  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


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


def test_the_page_shows_the_matchers_own_figures():
    from matching.services import ShownMatch

    shown = ShownMatch(
        id=1,
        score=0.9,
        percent=47,
        relation="same occupation",
        matched=[],
        missing=[],
        factors=[],
        is_match=False,
        reason="same occupation, 2 of 6 required skills",
    )
    assert match_score(shown) == match_score(shown)
    assert match_score(shown).points == 47
    assert match_score(shown).below_threshold
    assert match_score(shown).reason == "same occupation, 2 of 6 required skills"
