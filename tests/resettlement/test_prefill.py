"""The application form starts from what the service knows (issue #13, item 4): the profile and a
previous application, a counsellor's resettlement referral, a proactive offer's link
(`?destination=<region code>&vacancy=<vacancy id>`). Only initial data: the submitted form is
validated as usual."""

from __future__ import annotations

import datetime as dt

import pytest

from mobility.cases import services as cases
from mobility.cases.models import Referral
from mobility.reference.models import ReceivingSettlement
from mobility.resettlement import services
from mobility.resettlement.models import ResettlementApplication
from mobility.resettlement.selectors import resettlement_referral_for
from tests.factories import VacancyFactory, centre, region

from .test_pages import _form

APPLY = "/en/resettlement/apply/"


@pytest.fixture
def referral(asel, marat):
    """Asel's counsellor in Shymkent refers her to Pavlodar's regional centre, for a vacancy there."""
    case = cases.case_open(person=asel, centre=centre("KZ-79-shy-alfarabi"), by=marat)
    return cases.referral_create(
        case=case,
        kind=Referral.Kind.RESETTLEMENT,
        target_centre=centre("KZ-55-LMC"),
        vacancy=VacancyFactory(region=region("KZ-55")),
        note="Электрик на ТЭЦ-2",
        by=marat,
    )


@pytest.mark.django_db
def test_from_the_profile_and_the_previous_application(client, asel):
    profile = asel.seeker_profile
    profile.settlement = "Шымкент, Абай ауданы"
    profile.save(update_fields=["settlement"])
    earlier = services.application_submit(
        person=asel,
        category="resettler",
        destination_region=region("KZ-55"),
        destination_settlement=ReceivingSettlement.objects.filter(
            region__code="KZ-55", status="published"
        ).first(),
        settlement_type="urban",
        by=asel,
        consent=True,
        permanent_registration_since=dt.date(2019, 4, 5),
    )
    services.application_withdraw(application=earlier, by=asel)
    client.force_login(asel)
    initial = client.get(APPLY).context["form"].initial
    assert initial["origin_settlement"] == "Шымкент, Абай ауданы"
    assert initial["permanent_registration_since"] == dt.date(2019, 4, 5)
    assert initial["category"] == "resettler"


@pytest.mark.django_db
def test_from_a_counsellors_referral_which_the_application_records(client, asel, referral):
    client.force_login(asel)
    response = client.get(APPLY)
    initial = response.context["form"].initial
    assert initial["destination_region"] == region("KZ-55").pk
    assert (initial["vacancy"], initial["job_kind"]) == (referral.vacancy_id, "vacancy")
    assert "Электрик на ТЭЦ-2" in response.content.decode()

    data = _form(job_kind="vacancy", vacancy=str(referral.vacancy_id))
    assert client.post(APPLY, data).status_code == 302
    application = ResettlementApplication.objects.get(person=asel)
    assert (application.referral_id, application.vacancy_id) == (referral.pk, referral.vacancy_id)
    assert resettlement_referral_for(asel) is None  # used: the next form starts afresh
    assert client.get(APPLY).context["referral"] is None


@pytest.mark.django_db
def test_a_link_overrides_the_referral_and_a_vacancy_names_its_region(client, asel, referral):
    kostanay = VacancyFactory(region=region("KZ-39"))
    client.force_login(asel)
    initial = client.get(f"{APPLY}?destination=KZ-59&vacancy={kostanay.pk}").context["form"].initial
    assert (initial["destination_region"], initial["vacancy"]) == (region("KZ-59").pk, kostanay.pk)
    initial = client.get(f"{APPLY}?vacancy={kostanay.pk}").context["form"].initial
    assert initial["destination_region"] == region("KZ-39").pk


@pytest.mark.django_db
def test_link_values_are_only_initial_data(client, asel):
    closed = VacancyFactory(status="closed")
    client.force_login(asel)
    for query in ("?destination=KZ-99&vacancy=abc", f"?vacancy={closed.pk}", "?category=tourist"):
        response = client.get(APPLY + query)
        assert response.status_code == 200
        initial = response.context["form"].initial
        assert not {"destination_region", "vacancy", "category"} & set(initial), query
    # A link's vacancy in another region than the destination is refused beside its field.
    elsewhere = VacancyFactory(region=region("KZ-39"))
    response = client.post(
        f"{APPLY}?destination=KZ-55&vacancy={elsewhere.pk}",
        _form(job_kind="vacancy", vacancy=str(elsewhere.pk)),
    )
    assert response.status_code == 200
    assert "vacancy" in response.context["form"].errors
    assert not ResettlementApplication.objects.filter(person=asel).exists()
