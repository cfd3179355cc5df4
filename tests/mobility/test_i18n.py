import datetime as dt
import zoneinfo

import pytest
from django.utils import formats, timezone, translation

pytestmark = pytest.mark.django_db


def test_root_redirects_to_kazakh_when_nothing_says_otherwise(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/kk/"


def test_root_follows_accept_language(client):
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru-RU,ru;q=0.9")["Location"] == "/ru/"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="en-GB")["Location"] == "/en/"


def test_root_follows_the_language_cookie_over_the_header(client):
    client.cookies["mobility_language"] = "en"
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/en/"


@pytest.mark.parametrize("lang", ["kk", "ru", "en"])
def test_every_page_declares_its_language(client, lang):
    body = client.get(f"/{lang}/").content.decode()
    assert f'<html lang="{lang}">' in body


def test_pages_are_translated(client):
    assert "Кіру" in client.get("/kk/").content.decode()
    assert "Войти" in client.get("/ru/").content.decode()
    assert "Sign in" in client.get("/en/").content.decode()


def test_the_switcher_moves_to_the_same_page_in_another_language(client):
    response = client.post("/i18n/setlang/", {"language": "ru", "next": "/kk/regions/"})
    assert response.status_code == 302
    assert response["Location"] == "/ru/regions/"
    assert response.cookies["mobility_language"].value == "ru"


def test_kazakh_has_its_own_formats():
    with translation.override("kk"):
        assert formats.date_format(dt.date(2026, 3, 1), "SHORT_DATE_FORMAT") == "01.03.2026"
        assert formats.number_format(1234567, use_l10n=True, force_grouping=True) == "1\xa0234\xa0567"


def test_almaty_is_utc_plus_five_since_march_2024():
    zone = zoneinfo.ZoneInfo("Asia/Almaty")
    assert dt.datetime(2025, 6, 1, 12, tzinfo=zone).utcoffset() == dt.timedelta(hours=5)
    assert timezone.get_current_timezone_name() == "Asia/Almaty"
