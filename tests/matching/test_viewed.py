# ruff: noqa: F401, F811  (the `market` fixture is imported from the services tests)
"""`viewed` outcomes: a seeker opening a vacancy from "Vacancies for me" and an employer opening a
candidate from the ranked candidates are logged through the feedback services, once per impression,
with the rank and components of what was shown; a page opened any other way logs nothing."""

from __future__ import annotations

import re

import pytest

from matching import services
from matching.models import MatchFeedback
from tests.matching.test_matching_services import make_seeker, market

pytestmark = pytest.mark.django_db


def _link(body: str, path: str) -> str:
    """The href of the first link to `path` on a page (with its query string)."""
    found = re.search(r'href="(' + re.escape(path) + r'[^"]*)"', body)
    assert found, f"no link to {path}"
    return found.group(1).replace("&amp;", "&")


def test_a_seeker_opening_a_vacancy_from_for_me_logs_one_view_with_its_impression(client, market):
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    client.force_login(seeker.user)
    body = client.get("/en/me/for-me/").content.decode()
    vacancy = market.accountant_ru
    shown = MatchFeedback.objects.get(event="shown", seeker=seeker, vacancy=vacancy)

    link = _link(body, f"/en/vacancies/{vacancy.id}/")
    assert link.endswith("?from=for_me")
    assert client.get(link).status_code == 200
    client.get(link)  # a reload is the same view

    viewed = MatchFeedback.objects.get(event="viewed")
    assert (viewed.seeker_id, viewed.vacancy_id, viewed.surface, viewed.direction) == (
        seeker.id,
        vacancy.id,
        "for_me",
        "s2v",
    )
    assert (viewed.rank, viewed.calibrated, viewed.components, viewed.subject_id) == (
        shown.rank,
        shown.calibrated,
        shown.components,
        shown.subject_id,
    )

    # shown again later: a new impression, so opening it again is a new view
    client.get("/en/me/for-me/")
    client.get(link)
    assert MatchFeedback.objects.filter(event="viewed").count() == 2


def test_a_vacancy_not_opened_from_a_ranked_list_logs_no_view(client, market):
    seeker = make_seeker("Бухгалтер")
    client.force_login(seeker.user)
    vacancy = market.accountant_ru
    client.get(f"/en/vacancies/{vacancy.id}/")  # from search or a bookmark
    client.get(f"/en/vacancies/{vacancy.id}/?from=for_me")  # never shown to this seeker
    client.get(f"/en/vacancies/{vacancy.id}/?from=somewhere")
    client.logout()
    client.get(f"/en/vacancies/{vacancy.id}/?from=for_me")  # nobody signed in
    assert not MatchFeedback.objects.filter(event="viewed").exists()


def test_an_employer_opening_a_candidate_from_the_ranked_list_logs_one_view(client, market, bolat):
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    vacancy = market.accountant_ru
    client.force_login(bolat)
    base = f"/en/employer/vacancies/{vacancy.id}/candidates/{seeker.id}/"
    assert client.get(base).status_code == 200  # straight to the profile: not from the list
    assert not MatchFeedback.objects.filter(event="viewed").exists()

    body = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/").content.decode()
    shown = MatchFeedback.objects.get(event="shown", seeker=seeker, vacancy=vacancy)
    link = _link(body, base)
    assert link.endswith("?from=candidates")
    client.get(link)
    client.get(link)

    viewed = MatchFeedback.objects.get(event="viewed")
    assert (viewed.surface, viewed.direction, viewed.rank, viewed.components) == (
        "candidates",
        "v2s",
        shown.rank,
        shown.components,
    )
    # the seeker's own list never showed this vacancy: the employer's view is not the seeker's
    assert services.outcome_viewed(seeker_id=seeker.id, vacancy_id=vacancy.id, surface="for_me") is None


def test_a_view_counts_as_a_weak_positive_when_learning_the_weights(market):
    seeker = make_seeker("Бухгалтер", skills=["ведение бухгалтерского учёта"])
    matches = services.rank_vacancies_for(seeker)
    shown = [m.id for m in matches]
    services.impressions_log(surface="for_me", seeker_id=seeker.id, shown=shown)
    services.outcome_viewed(seeker_id=seeker.id, vacancy_id=shown[-1], surface="for_me")

    (group,) = services.feedback_groups()
    assert sorted(group.gain.tolist()) == [0.0] * (len(shown) - 1) + [services.OUTCOME_GAIN["viewed"]]
