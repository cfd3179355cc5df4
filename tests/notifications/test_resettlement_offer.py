"""The proactive resettlement offer (issue #15, item 5): registered seekers who may resettle hear of
open vacancies for their occupation in a receiving region, through a consented channel, with the
application prefilled; staff see it made, opened and taken up in their region."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from mobility.core.models import OutboxMessage
from mobility.notifications.consent import consent_set
from mobility.notifications.models import InboxMessage, Offer
from mobility.notifications.offers import OFFER_RULES, consenting_people, offers_run
from mobility.notifications.selectors import offer_stats
from mobility.reference import rules
from mobility.resettlement.eligibility import check_eligibility
from mobility.resettlement.offers import resettlement
from tests.factories import (
    RegistrationFactory,
    SeekerProfileFactory,
    UserFactory,
    VacancyFactory,
    centre,
    region,
)

pytestmark = pytest.mark.django_db

HOME, RECEIVING = "KZ-79", "KZ-55"  # Shymkent (does not receive resettlers), Pavlodar region (does)


@pytest.fixture
def occupation(project_taxonomy):
    from matching.models import Occupation

    return Occupation.objects.order_by("id").first()


def _seeker(user, occupation, *, registered=True, home=HOME, consent=True):
    profile = SeekerProfileFactory(user=user, region=region(home))
    profile.desired_occupations.add(occupation)
    if registered:
        RegistrationFactory(profile=profile, centre=centre("KZ-79-shy-alfarabi"))
    if consent:
        consent_set(person=user, choices=[("programme_offers", "inbox", True)], source="page")
    return profile


def test_the_rule_reads_the_receiving_regions_from_the_rules():
    receiving = {q.region.code for q in rules.quotas(year=timezone.localdate().year, category="resettler")}
    assert RECEIVING in receiving and HOME not in receiving  # what the tests below rely on


def test_a_registered_seeker_is_offered_the_newest_vacancy_of_their_occupation_in_a_receiving_region(
    aigerim, occupation, settings, django_capture_on_commit_callbacks
):
    from django.core import mail

    from mobility.notifications.channels import LocmemSmsBackend

    settings.SMS_BACKEND = "mobility.notifications.channels.LocmemSmsBackend"
    LocmemSmsBackend.outbox = []
    aigerim.phone = "+77011234567"
    aigerim.save()
    _seeker(aigerim, occupation)
    consent_set(
        person=aigerim,
        choices=[("programme_offers", "email", True), ("programme_offers", "sms", True)],
        source="page",
    )
    older = VacancyFactory(occupation=occupation, region=region(RECEIVING))
    newer = VacancyFactory(occupation=occupation, region=region(RECEIVING))
    VacancyFactory(occupation=occupation, region=region(HOME))  # at home: not a move
    assert "resettlement" in OFFER_RULES
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_run(rules=["resettlement"]) == {"resettlement": 1}
        assert offers_run(rules=["resettlement"]) == {"resettlement": 0}  # once a programme year
    offer = Offer.objects.get(person=aigerim)
    assert offer.rule == "resettlement" and offer.region == region(HOME)  # counted where she lives
    assert offer.details["destination"] == RECEIVING and offer.details["vacancies"] == 2
    assert offer.details["vacancy"] == newer.pk != older.pk
    message = InboxMessage.objects.get(person=aigerim)
    with translation.override("kk"):  # her language
        assert region(RECEIVING).name in message.subject
    assert f"/notifications/offers/{offer.pk}/" in message.body
    [email] = mail.outbox  # the same offer by email and by SMS, each with its link
    assert f"/notifications/offers/{offer.pk}/" in email.body and newer.title in email.body
    [sms] = LocmemSmsBackend.outbox
    assert f"/notifications/offers/{offer.pk}/" in sms["text"] and sms["to"] == "+77011234567"
    # The eligibility rules agree: with the address registration she declares, she may apply.
    answer = check_eligibility(
        person=aigerim,
        category="resettler",
        destination=region(RECEIVING),
        on=timezone.localdate(),
        permanent_registration_since=timezone.localdate() - dt.timedelta(days=800),
    )
    assert answer.eligible


def test_nobody_is_offered_what_the_rules_or_their_consent_do_not_allow(aigerim, timur, occupation):
    from mobility.exchange.models import Vacancy

    _seeker(aigerim, occupation, registered=False)  # not registered at a career centre
    _seeker(timur, occupation, consent=False)  # registered, but no consent to programme offers
    lives_there = _seeker(UserFactory(), occupation, home=RECEIVING)  # receiving region is home
    VacancyFactory(occupation=occupation, region=region(RECEIVING))
    VacancyFactory(occupation=occupation, region=region("KZ-75"), open_to_resettlers=False)
    VacancyFactory(
        occupation=occupation, region=region("KZ-75"), status=Vacancy.Status.DRAFT
    )  # not published
    assert list(resettlement(consenting_people())) == []
    assert offers_run(rules=["resettlement"]) == {"resettlement": 0}
    assert not OutboxMessage.objects.filter(topic="programme_offers").exists()
    assert lives_there.user_id in consenting_people()


def test_a_person_with_an_active_application_is_not_offered_it_again(aigerim, occupation):
    from mobility.resettlement.services.applications import application_withdraw
    from tests.resettlement.factories import ApplicationFactory, CaseFactory

    _seeker(aigerim, occupation)
    VacancyFactory(occupation=occupation, region=region(RECEIVING))
    assert [c.person_id for c in resettlement(consenting_people())] == [aigerim.pk]
    application = ApplicationFactory(case=CaseFactory(person=aigerim), status="submitted")
    assert list(resettlement(consenting_people())) == []  # she has asked already
    application_withdraw(application=application, by=aigerim)  # withdrawn: she may be offered it again
    assert [c.person_id for c in resettlement(consenting_people())] == [aigerim.pk]


def test_a_region_the_seeker_would_move_to_comes_before_more_vacancies(aigerim, occupation):
    profile = _seeker(aigerim, occupation)
    receiving = [q.region for q in rules.quotas(year=timezone.localdate().year, category="resettler")]
    first, second = [r for r in receiving if r.code != HOME][:2]
    VacancyFactory.create_batch(3, occupation=occupation, region=first)
    VacancyFactory(occupation=occupation, region=second)
    [candidate] = resettlement(consenting_people())
    assert candidate.details["destination"] == first.code
    profile.desired_regions.add(second)
    [candidate] = resettlement(consenting_people())
    assert (candidate.details["destination"], candidate.details["vacancies"]) == (second.code, 1)


def test_the_rule_asks_the_same_few_queries_for_one_seeker_or_many(occupation):
    VacancyFactory(occupation=occupation, region=region(RECEIVING))
    people = [_seeker(UserFactory(), occupation).user_id]
    with CaptureQueriesContext(connection) as one:
        assert len(list(resettlement(frozenset(people)))) == 1
    people += [_seeker(UserFactory(), occupation).user_id for _ in range(5)]
    with CaptureQueriesContext(connection) as six:
        assert len(list(resettlement(frozenset(people)))) == 6
    assert len(one) == len(six) <= 8


def test_the_offer_opens_the_prefilled_application_and_staff_see_it_in_the_seekers_region(
    client, aigerim, occupation, marat, dana, django_capture_on_commit_callbacks
):
    _seeker(aigerim, occupation)
    vacancy = VacancyFactory(occupation=occupation, region=region(RECEIVING))
    with django_capture_on_commit_callbacks(execute=True):
        offers_run(rules=["resettlement"])
    offer = Offer.objects.get(person=aigerim)
    client.force_login(aigerim)
    page = client.get(f"/en/notifications/offers/{offer.pk}/")
    assert page.status_code == 200 and region(RECEIVING).name in page.content.decode()
    response = client.post(f"/en/notifications/offers/{offer.pk}/")
    assert response.status_code == 302
    url = urlsplit(response["Location"])
    assert url.path == "/en/resettlement/apply/"
    assert parse_qs(url.query) == {
        "destination": [RECEIVING],
        "vacancy": [str(vacancy.pk)],
        "category": ["resettler"],
    }
    form = client.get(response["Location"]).context["form"]
    assert form.initial["destination_region"] == region(RECEIVING).pk
    assert (form.initial["vacancy"], form.initial["job_kind"]) == (vacancy.pk, "vacancy")
    offer.refresh_from_db()
    assert offer.opened_at and offer.taken_up_at
    [row] = offer_stats(marat)  # Shymkent's counsellor: the seeker's region
    assert (row["rule"], row["made"], row["opened"], row["taken_up"]) == ("resettlement", 1, 1, 1)
    assert offer_stats(dana) == []  # Pavlodar's counsellor sees her own region's offers only
    client.force_login(marat)
    staff_page = client.get("/en/staff/offers/").content.decode()
    assert "resettlement" in staff_page
