"""The language switcher lands on the chosen language from any page, whatever the visitor's
cookie or browser says (it used to send a Kazakh browser on /ru/ back to /ru/)."""

from __future__ import annotations

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("browser", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    ("page", "choice", "landing"),
    [
        ("/ru/vacancies/?q=%D0%B1%D1%83%D1%85", "en", "/en/vacancies/?q=%D0%B1%D1%83%D1%85"),
        ("/kk/regions/", "ru", "/ru/regions/"),
        ("/en/accounts/login/", "kk", "/kk/accounts/login/"),
        ("/ru/vacancies/", "ru", "/ru/vacancies/"),
    ],
)
def test_a_fresh_visitor_lands_on_the_chosen_language(client, browser, page, choice, landing):
    response = client.post("/i18n/setlang/", {"language": choice, "next": page}, HTTP_ACCEPT_LANGUAGE=browser)
    assert response.status_code == 302
    assert response["Location"] == landing
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == choice


def test_a_cookie_for_another_language_does_not_hold_the_visitor_back(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "kk"
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/ru/vacancies/"})
    assert response["Location"] == "/en/vacancies/"
    assert client.get(response["Location"]).status_code == 200


def test_every_page_offers_the_switch_for_its_own_address(client):
    page = client.get("/ru/vacancies/?q=x").content.decode()
    assert 'action="/i18n/setlang/"' in page
    assert 'name="next" value="/ru/vacancies/?q=x"' in page


def test_the_admin_has_a_language_switch(client, admin_user):
    client.force_login(admin_user)
    page = client.get("/ru/admin/").content.decode()
    assert 'action="/i18n/setlang/"' in page and 'value="kk"' in page
    response = client.post("/i18n/setlang/", {"language": "kk", "next": "/ru/admin/"})
    assert response["Location"] == "/kk/admin/"
