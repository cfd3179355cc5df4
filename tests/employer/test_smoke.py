"""Every employer page renders for the organisation's owner."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_render(client, bolat, bolat_org, vacancy, public_seeker, anonymous_seeker, project_taxonomy):
    client.force_login(bolat)
    for url in [
        "/en/employer/",
        f"/en/employer/organisations/{bolat_org.id}/",
        f"/en/employer/organisations/{bolat_org.id}/edit/",
        f"/en/employer/organisations/{bolat_org.id}/invite/",
        f"/en/employer/organisations/{bolat_org.id}/vacancies/new/",
        "/en/employer/vacancies/",
        f"/en/employer/vacancies/{vacancy.id}/",
        f"/en/employer/vacancies/{vacancy.id}/edit/",
        f"/en/employer/vacancies/{vacancy.id}/candidates/",
        f"/en/employer/vacancies/{vacancy.id}/candidates/{public_seeker.id}/",
        f"/en/employer/vacancies/{vacancy.id}/pipeline/",
        "/en/employer/requests/",
        "/en/employer/requests/new/",
        "/en/employer/market/",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/").content.decode()
    assert body.count('class="result card candidate"') == 2
