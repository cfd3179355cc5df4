"""Proactive offers (the skill-gap rule, counted per region for staff) and reminders (once a day)."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from mobility.notifications.consent import consent_set
from mobility.notifications.models import InboxMessage, Offer
from mobility.notifications.offers import OFFER_RULES, offers_run
from mobility.notifications.reminders import REMINDER_RULES, reminders_run
from mobility.notifications.selectors import offer_stats
from tests.factories import SeekerProfileFactory, VacancyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def welder(aigerim, project_taxonomy):
    from matching.models import Occupation

    occupation = Occupation.objects.order_by("id").first()
    profile = SeekerProfileFactory(user=aigerim)
    profile.desired_occupations.add(occupation)
    for name in ("welding", "blueprints"):
        profile.skills.create(name=name)
    for n in range(3):
        vacancy = VacancyFactory(title=f"Сварщик {n}", occupation=occupation)
        for name in ("Welding", "blueprints", "safety"):
            vacancy.skills.create(name=name, required=True)
    return aigerim


def test_the_skill_gap_rule_offers_the_one_missing_skill_once_with_consent(
    welder, django_capture_on_commit_callbacks
):
    assert {"skill_gap"} <= set(OFFER_RULES)
    assert offers_run(rules=["skill_gap"]) == {"skill_gap": 0}  # no consent to programme offers: nothing
    consent_set(person=welder, choices=[("programme_offers", "inbox", True)], source="page")
    with django_capture_on_commit_callbacks(execute=True):
        assert offers_run(rules=["skill_gap"]) == {"skill_gap": 1}
        assert offers_run(rules=["skill_gap"]) == {"skill_gap": 0}  # offered once
    offer = Offer.objects.get(person=welder)
    assert (offer.subject, offer.details["vacancies"]) == ("safety", 3)
    assert "safety" in InboxMessage.objects.get(person=welder).subject and not mail.outbox


def test_staff_see_offers_made_opened_and_taken_up_in_their_region(
    client, welder, dana, timur, django_capture_on_commit_callbacks
):
    consent_set(person=welder, choices=[("programme_offers", "inbox", True)], source="page")
    offers_run()
    offer = Offer.objects.get()
    client.force_login(welder)
    assert client.get(f"/en/notifications/offers/{offer.pk}/").status_code == 200
    client.post(f"/en/notifications/offers/{offer.pk}/")
    client.force_login(timur)
    assert client.get(f"/en/notifications/offers/{offer.pk}/").status_code == 404  # not theirs
    [row] = offer_stats(dana)
    assert (row["made"], row["opened"], row["taken_up"]) == (1, 1, 1)


def test_a_plan_step_due_soon_is_reminded_once_a_day(aigerim, dana, django_capture_on_commit_callbacks):
    from mobility.cases import services as cases
    from mobility.cases.models import PlanStep
    from tests.factories import centre

    case = cases.case_open(person=aigerim, centre=centre("KZ-55-pavlodar"), by=dana)
    today = timezone.localdate()
    cases.plan_save(
        case=case,
        goal="Работа",
        steps=[
            {
                "kind": PlanStep.Kind.COUNSELLING,
                "title": "Консультация",
                "due_on": today + dt.timedelta(days=1),
                "owner": "seeker",
            }
        ],
        by=dana,
    )
    assert {"plan_step", "overdue_requests", "vacancy_closing"} <= set(REMINDER_RULES)
    consent_set(person=aigerim, choices=[("reminders", "email", True)], source="page")
    with django_capture_on_commit_callbacks(execute=True):
        reminders_run(today=today)
        reminders_run(today=today)
    assert len(mail.outbox) == 1 and "Консультация" in mail.outbox[0].subject


def test_the_skill_gap_compares_taxonomy_skills_whatever_language_names_them(aigerim, project_taxonomy):
    from matching.models import Occupation, Skill

    occupation = Occupation.objects.order_by("id").first()
    welding, drawings, safety = Skill.objects.order_by("id")[:3]
    profile = SeekerProfileFactory(user=aigerim)
    profile.desired_occupations.add(occupation)
    profile.skills.create(name="сварка", skill=welding)  # her words, in Russian
    profile.skills.create(name="сызбаларды оқу", skill=drawings)  # in Kazakh
    for n in range(3):
        vacancy = VacancyFactory(title=f"Welder {n}", occupation=occupation)
        vacancy.skills.create(name="Welding", skill=welding, required=True)
        vacancy.skills.create(name="Reading drawings", skill=drawings, required=True)
        vacancy.skills.create(name="Safety rules", skill=safety, required=True)
    consent_set(person=aigerim, choices=[("programme_offers", "inbox", True)], source="page")
    assert offers_run(rules=["skill_gap"]) == {"skill_gap": 1}
    offer = Offer.objects.get(person=aigerim)
    assert (offer.subject, offer.details["vacancies"]) == ("Safety rules", 3)
