"""The small things a new user hits first: an IIN typed with spaces, one message for a short IIN,
the lock-out page saying for how long, a confirmation before withdrawing, the filter button's word."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from mobility.accounts.forms import SeekerSignUpForm
from mobility.cases.forms import FamilyMemberForm
from mobility.core.identifiers import make_iin
from tests.factories import region

pytestmark = pytest.mark.django_db

IIN = make_iin(dt.date(1995, 5, 17), male=False, serial=321)


def _signup(iin):
    return SeekerSignUpForm(
        {
            "iin": iin,
            "last_name": "Бекова",
            "first_name": "Айгерім",
            "email": "a@example.kz",
            "region": region("KZ-79").id,
        }
    )


@pytest.mark.parametrize("typed", [f"{IIN[:6]} {IIN[6:9]} {IIN[9:]}", f" {IIN[:6]}-{IIN[6:]} ", IIN])
def test_an_iin_typed_with_spaces_or_dashes_is_accepted(typed):
    form = _signup(typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["iin"] == IIN


def test_the_iin_input_does_not_cut_a_spaced_iin():
    html = str(_signup("")["iin"])
    assert 'maxlength="12"' not in html and 'pattern="[0-9]{12}"' not in html


@pytest.mark.parametrize("form_class", [SeekerSignUpForm, FamilyMemberForm])
def test_a_short_iin_gets_one_message(form_class):
    form = form_class({"iin": IIN[:9], "last_name": "Бекова", "first_name": "Айгерім"})
    form.is_valid()
    assert len(form.errors["iin"]) == 1
    assert "12" in form.errors["iin"][0]


def test_the_lockout_page_says_for_how_long(client, aigerim, settings):
    for _ in range(6):
        response = client.post(
            "/en/accounts/login/", {"username": aigerim.iin, "password": "x"}, REMOTE_ADDR="203.0.113.9"
        )
    assert response.status_code == 429
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert f"paused for {minutes} minutes" in response.content.decode()


def test_withdrawing_an_application_asks_first(client, aigerim, bolat_org, bolat):
    from mobility.exchange import services
    from mobility.exchange.models import ApplicationStatus
    from tests.employer.conftest import make_vacancy
    from tests.factories import SeekerProfileFactory

    profile = SeekerProfileFactory(user=aigerim)
    services.application_create(
        seeker=profile, vacancy=make_vacancy(bolat_org, bolat), status=ApplicationStatus.APPLIED, by=aigerim
    )
    client.force_login(aigerim)
    page = client.get("/en/me/applications/").content.decode()
    asks = r'<button[^>]*data-confirm="Withdraw this application\?[^"]*"[^>]*>Withdraw</button>'
    assert re.search(asks, page)
    assert "js/layout.js" in page  # the shared script that asks


def test_the_candidate_filter_button_does_not_say_apply(client, bolat, bolat_org):
    from tests.employer.conftest import make_vacancy

    vacancy = make_vacancy(bolat_org, bolat)
    client.force_login(bolat)
    page = client.get(f"/en/employer/vacancies/{vacancy.id}/candidates/").content.decode()
    assert "Show candidates" in page
    assert ">Apply</button>" not in page


def test_search_has_an_occupation_facet(client, bolat, bolat_org, project_taxonomy):
    from mobility.employer.selectors import occupation_by_label
    from tests.employer.conftest import make_vacancy

    accountant = occupation_by_label("есепші")
    make_vacancy(bolat_org, bolat, title="Есепші", occupation=accountant)
    make_vacancy(bolat_org, bolat, title="Аспаз")
    page = client.get("/en/vacancies/").content.decode()
    assert re.search(r'<select name="occupation"[^>]*>\s*<option value="" selected>', page)
    major = accountant.isco_group.code[0]
    filtered = client.get(f"/en/vacancies/?occupation={major}").content.decode()
    assert "Есепші" in filtered and "Аспаз" not in filtered
    assert f'<option value="{major}" selected>' in filtered
