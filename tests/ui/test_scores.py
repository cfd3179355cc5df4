"""Match lists show the matcher's calibrated 0-100 score and its reason, never a share of the best
result; matches under the threshold wait under "more results"."""

from __future__ import annotations

import pytest

from mobility.exchange import services
from tests.mobility.test_portal import _market, seeker  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def test_vacancies_for_me_show_the_score_its_reason_and_put_weak_ones_aside(
    client,
    seeker,  # noqa: F811
    project_taxonomy,
    settings,
):
    from matching.services import rank_vacancies_for, seeker_queryset

    _market()
    services.profile_set_skills(profile=seeker, skills=[("1С:Бухгалтерия", 3)], by=seeker.user)
    client.force_login(seeker.user)
    body = client.get("/en/me/for-me/").content.decode()
    assert "of 100" in body and "required skill" in body
    assert '<meter min="0" max="100"' in body
    assert "100 of 100" not in body  # the best of the list is not 100 for being the best

    # Everything under the threshold goes under "more results", nothing is lost.
    ranked = rank_vacancies_for(seeker_queryset().get(pk=seeker.pk), limit=20)
    settings.MATCHING_SCORE_THRESHOLD = 101
    body = client.get("/en/me/for-me/").content.decode()
    top, marker, weak = body.partition('class="more-results"')
    assert marker and "Бухгалтер" in weak and 'class="result card"' not in top
    assert weak.count('class="result card"') == len(ranked)
