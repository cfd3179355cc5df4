"""Ranked candidates: the matcher's ranking with explanations over visible profiles only;
anonymous profiles show no name or contacts until the seeker accepts an invitation."""

import re

import pytest

from matching.models import MatchFeedback
from mobility.exchange import services as exchange
from mobility.exchange.models import Application, ApplicationStatus, SeekerProfile
from tests.employer.conftest import make_seeker, make_vacancy
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory, region

pytestmark = pytest.mark.django_db


def _page(client, user, vacancy, lang="en", **params):
    client.force_login(user)
    return client.get(f"/{lang}/employer/vacancies/{vacancy.id}/candidates/", params).content.decode()


class TestRanking:
    def test_visible_candidates_ranked_with_explanations(
        self, client, bolat, vacancy, public_seeker, anonymous_seeker, hidden_seeker, project_taxonomy
    ):
        body = _page(client, bolat, vacancy)
        assert public_seeker.user.get_full_name() in body
        assert "Matching skills" in body and "Missing skills" in body
        assert "1C:Enterprise accounting" in body  # skills named in the page's language
        assert "same occupation" in body
        assert "lives in the vacancy&#x27;s region" in body or "lives in the vacancy's region" in body
        # Anonymous: listed, but neither name nor contacts.
        assert f"Candidate {anonymous_seeker.pk}" in body
        assert anonymous_seeker.user.get_full_name() not in body
        assert anonymous_seeker.user.email not in body
        assert "willing to relocate" in body
        # Hidden: never.
        assert hidden_seeker.user.get_full_name() not in body
        assert f"/candidates/{hidden_seeker.pk}/" not in body

    def test_skills_in_russian_on_the_russian_page(
        self, client, bolat, vacancy, public_seeker, project_taxonomy
    ):
        body = _page(client, bolat, vacancy, lang="ru")
        assert "1С:Бухгалтерия" in body or "1С: Бухгалтерия" in body

    def test_an_unrelated_seeker_ranks_below(self, client, bolat, vacancy, public_seeker, project_taxonomy):
        cook = make_seeker(headline="Повар", skills=["приготовление блюд"])
        body = _page(client, bolat, vacancy)
        if cook.user.get_full_name() in body:
            assert body.index(public_seeker.user.get_full_name()) < body.index(cook.user.get_full_name())

    def test_a_pending_organisation_sees_no_candidates(self, client, public_seeker, project_taxonomy):
        pending = OrganisationFactory()
        owner = OrganisationMembershipFactory(organisation=pending).user
        draft = make_vacancy(pending, owner, publish=False)
        body = _page(client, owner, draft)
        assert "once the career centre verifies" in body
        assert public_seeker.user.get_full_name() not in body
        assert (
            client.get(f"/en/employer/vacancies/{draft.id}/candidates/{public_seeker.pk}/").status_code == 403
        )


class TestFiltersAndSort:
    def test_only_the_vacancys_region(
        self, client, bolat, vacancy, public_seeker, anonymous_seeker, project_taxonomy
    ):
        body = _page(client, bolat, vacancy, region="same")
        assert public_seeker.user.get_full_name() in body
        assert f"Candidate {anonymous_seeker.pk}" not in body

    def test_only_willing_to_move_from_elsewhere(
        self, client, bolat, vacancy, public_seeker, anonymous_seeker, project_taxonomy
    ):
        body = _page(client, bolat, vacancy, region="relocate")
        assert public_seeker.user.get_full_name() not in body
        assert f"Candidate {anonymous_seeker.pk}" in body

    def test_by_region_code_and_salary(
        self, client, bolat, vacancy, public_seeker, anonymous_seeker, project_taxonomy
    ):
        SeekerProfile.objects.filter(pk=public_seeker.pk).update(expected_salary=500_000)
        SeekerProfile.objects.filter(pk=anonymous_seeker.pk).update(expected_salary=200_000)
        body = _page(client, bolat, vacancy, max_salary=300000)
        assert public_seeker.user.get_full_name() not in body and f"Candidate {anonymous_seeker.pk}" in body
        body = _page(client, bolat, vacancy, region="KZ-79")
        assert public_seeker.user.get_full_name() not in body and f"Candidate {anonymous_seeker.pk}" in body

    def test_sort_by_expected_salary(
        self, client, bolat, vacancy, public_seeker, anonymous_seeker, project_taxonomy
    ):
        SeekerProfile.objects.filter(pk=public_seeker.pk).update(expected_salary=500_000)
        SeekerProfile.objects.filter(pk=anonymous_seeker.pk).update(expected_salary=200_000)
        body = _page(client, bolat, vacancy, sort="salary")
        assert body.index(f"Candidate {anonymous_seeker.pk}") < body.index(public_seeker.user.get_full_name())

    def test_hide_candidates_already_on_the_board(
        self, client, bolat, vacancy, public_seeker, project_taxonomy
    ):
        exchange.application_create(
            seeker=public_seeker, vacancy=vacancy, status="applied", by=public_seeker.user
        )
        assert "Open on the board" in _page(client, bolat, vacancy)
        assert public_seeker.user.get_full_name() not in _page(client, bolat, vacancy, hide_in_pipeline="on")


class TestInvite:
    def test_invite_then_the_seeker_accepts_and_shares_contacts(
        self, client, bolat, vacancy, anonymous_seeker, project_taxonomy
    ):
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/vacancies/{vacancy.id}/candidates/{anonymous_seeker.pk}/invite/",
            {"message": "Приглашаем на собеседование"},
        )
        assert response.status_code == 302
        application = Application.objects.get()
        assert (application.status, application.contacts_shared) == (ApplicationStatus.INVITED, False)
        assert application.events.get().reason == "Приглашаем на собеседование"
        assert MatchFeedback.objects.filter(event="invited").exists()
        # Still anonymous on the board and on the profile.
        board = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        assert anonymous_seeker.user.get_full_name() not in board
        profile = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/{anonymous_seeker.pk}/")
        assert anonymous_seeker.user.email not in profile.content.decode()
        # The seeker accepts in the portal.
        client.force_login(anonymous_seeker.user)
        client.post(f"/en/me/applications/{application.id}/accept/")
        client.force_login(bolat)
        board = client.get(f"/en/employer/vacancies/{vacancy.id}/pipeline/").content.decode()
        assert anonymous_seeker.user.get_full_name() in board
        profile = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/{anonymous_seeker.pk}/")
        assert anonymous_seeker.user.email in profile.content.decode()

    def test_public_candidates_show_contacts(self, client, bolat, vacancy, public_seeker, project_taxonomy):
        client.force_login(bolat)
        body = client.get(
            f"/en/employer/vacancies/{vacancy.id}/candidates/{public_seeker.pk}/"
        ).content.decode()
        assert public_seeker.user.email in body
        assert "Matching skills" in body

    def test_a_draft_cannot_invite(self, client, bolat, bolat_org, public_seeker, project_taxonomy):
        draft = make_vacancy(bolat_org, bolat, publish=False)
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/vacancies/{draft.id}/candidates/{public_seeker.pk}/invite/", follow=True
        )
        assert "not open for applications" in response.content.decode()
        assert not Application.objects.exists()

    def test_twice_is_refused(self, client, bolat, vacancy, public_seeker):
        client.force_login(bolat)
        url = f"/en/employer/vacancies/{vacancy.id}/candidates/{public_seeker.pk}/invite/"
        client.post(url)
        assert "already an open application" in client.post(url, follow=True).content.decode()
        assert Application.objects.count() == 1

    def test_bulk_invite(self, client, bolat, vacancy, public_seeker, anonymous_seeker, hidden_seeker):
        client.force_login(bolat)
        response = client.post(
            f"/en/employer/vacancies/{vacancy.id}/candidates/invite/",
            {
                "profiles": [public_seeker.pk, anonymous_seeker.pk, hidden_seeker.pk],
                "message": "Добро пожаловать",
            },
            follow=True,
        )
        body = response.content.decode()
        assert "2 candidates invited" in body and "1 candidates could not be invited" in body
        assert set(Application.objects.values_list("seeker_id", flat=True)) == {
            public_seeker.pk,
            anonymous_seeker.pk,
        }


class TestHiddenProfiles:
    def test_a_hidden_profile_is_not_found(self, client, bolat, vacancy, hidden_seeker):
        client.force_login(bolat)
        assert (
            client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/{hidden_seeker.pk}/").status_code
            == 404
        )
        url = f"/en/employer/vacancies/{vacancy.id}/candidates/{hidden_seeker.pk}/invite/"
        assert client.post(url).status_code == 404
        assert not Application.objects.exists()

    def test_hiding_after_being_listed_removes_the_candidate(
        self, client, bolat, vacancy, public_seeker, project_taxonomy
    ):
        assert public_seeker.user.get_full_name() in _page(client, bolat, vacancy)
        exchange.profile_update(profile=public_seeker, by=public_seeker.user, visibility="hidden")
        assert public_seeker.user.get_full_name() not in _page(client, bolat, vacancy)
        assert (
            client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/{public_seeker.pk}/").status_code
            == 404
        )

    def test_a_deactivated_account_is_not_found(self, client, bolat, vacancy, public_seeker):
        public_seeker.user.is_active = False
        public_seeker.user.save()
        client.force_login(bolat)
        assert (
            client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/{public_seeker.pk}/").status_code
            == 404
        )


@pytest.mark.parametrize("rows", [4, 40])
def test_query_count_is_constant(client, bolat, vacancy, project_taxonomy, django_assert_num_queries, rows):
    for i in range(rows):
        profile = make_seeker(
            UserFactory(),
            visibility="anonymous" if i % 2 else "public",
            region=region("KZ-55" if i % 3 else "KZ-79"),
            expected_salary=200_000 + 1000 * i,
        )
        if i % 4 == 0:
            exchange.application_create(seeker=profile, vacancy=vacancy, status="applied", by=profile.user)
    client.force_login(bolat)
    client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/")  # builds the engine once
    # 17 + the matcher's taxonomy check (tasks inline) + the impressions log (subjects, one insert)
    with django_assert_num_queries(20):
        response = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/")
    assert response.status_code == 200
    assert response.content.decode().count('class="result card candidate"') == min(rows, 20)


def _many_candidates(vacancy, n):
    for i in range(n):
        make_seeker(
            UserFactory(),
            visibility="anonymous" if i % 2 else "public",
            region=region("KZ-55" if i % 3 else "KZ-79"),
            expected_salary=200_000 + 1000 * i,
        )


def _counting_explanations(monkeypatch):
    """Count the matcher's explanations (one call per explained result)."""
    from matching.engine import index

    calls = []
    original = index._ExplainContext.explain

    def explain(self, rid, *args, **kwargs):
        calls.append(rid)
        return original(self, rid, *args, **kwargs)

    monkeypatch.setattr(index._ExplainContext, "explain", explain)
    return calls


def test_only_the_candidates_shown_are_explained(client, bolat, vacancy, project_taxonomy, monkeypatch):
    """The pool is ranked unexplained; the page explains its 20 cards, the next page the rest, and
    the pages together list the pool in the matcher's order (issue #12 item 8)."""
    from matching import services as matching_services

    _many_candidates(vacancy, 25)
    ranked = [int(m.id) for m in matching_services.rank_seekers_for(vacancy, limit=200, explain=False)]
    calls = _counting_explanations(monkeypatch)
    first = _page(client, bolat, vacancy)
    assert first.count('class="result card candidate"') == 20 and len(calls) == 20
    assert "Page 1 of 2" in first and "page=2" in first
    calls.clear()
    second = _page(client, bolat, vacancy, page=2)
    assert second.count('class="result card candidate"') == 5 and len(calls) == 5
    shown = [int(x) for x in re.findall(r'id="candidate-(\d+)"', first + second)]
    assert shown == ranked


def test_a_minimum_score_explains_the_pool_once(client, bolat, vacancy, project_taxonomy, monkeypatch):
    """The minimum score reads the explanation: the pool is explained to be filtered, once."""
    _many_candidates(vacancy, 25)
    _page(client, bolat, vacancy)  # builds the engine
    calls = _counting_explanations(monkeypatch)
    body = _page(client, bolat, vacancy, min_percent=1)
    assert len(calls) == 25
    assert body.count('class="result card candidate"') == 20
