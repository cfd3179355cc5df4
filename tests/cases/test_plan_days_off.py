"""Plan steps keep the dates counsellors type; a date on a public holiday or a day off gets a
warning (beside the step, after saving, and on the case), never a refusal."""

import datetime as dt

import pytest
from django.utils import timezone

from mobility.cases import services
from mobility.cases.models import PlanStep
from mobility.core.calendar import add_working_days
from mobility.reference.models import CalendarDay
from tests.factories import RegistrationFactory, SeekerProfileFactory, centre

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(dana):
    seeker = SeekerProfileFactory(region=centre("KZ-55-pavlodar").region)
    RegistrationFactory(profile=seeker, centre=centre("KZ-55-pavlodar"))
    return services.case_open(person=seeker.user, centre=centre("KZ-55-pavlodar"), by=dana)


@pytest.fixture
def holiday(db):
    day = add_working_days(timezone.localdate(), 3)
    return CalendarDay.objects.create(
        date=day,
        kind=CalendarDay.Kind.HOLIDAY,
        name_kk="Мереке",
        name_ru="Праздник",
        name_en="Independence Day",
    )


def _plan(due: list[dt.date]) -> dict[str, str]:
    data = {
        "goal": "Найти работу",
        "reason": "",
        "steps-TOTAL_FORMS": str(len(due)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "1",
        "steps-MAX_NUM_FORMS": "30",
    }
    for i, day in enumerate(due):
        data.update(
            {
                f"steps-{i}-kind": "counselling",
                f"steps-{i}-title": f"Шаг {i}",
                f"steps-{i}-due_on": day.isoformat(),
                f"steps-{i}-owner": "seeker",
            }
        )
    return data


def test_a_step_on_a_holiday_is_saved_with_a_warning(client, dana, case, holiday):
    working = add_working_days(holiday.date, 1)
    client.force_login(dana)
    response = client.post(f"/en/staff/cases/{case.id}/plan/", _plan([holiday.date, working]), follow=True)
    body = response.content.decode()
    assert response.redirect_chain[-1][0] == f"/en/staff/cases/{case.id}/"
    assert list(case.plan.steps.order_by("due_on").values_list("due_on", flat=True)) == [
        holiday.date,
        working,
    ]
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1 and "Шаг 0" in warnings[0] and "Independence Day" in warnings[0]
    assert body.count("is not a working day: Independence Day") == 2  # the message and the step on the case


def test_the_edit_page_warns_beside_the_step(client, dana, case, holiday):
    services.plan_save(
        case=case,
        goal="g",
        steps=[{"kind": "counselling", "title": "Встреча", "due_on": holiday.date, "owner": "seeker"}],
        by=dana,
    )
    client.force_login(dana)
    body = client.get(f"/en/staff/cases/{case.id}/plan/").content.decode()
    assert "is not a working day: Independence Day" in body and "You may keep this date." in body


def test_a_weekend_date_is_named_as_such(client, dana, case):
    today = timezone.localdate()
    saturday = today + dt.timedelta(days=(5 - today.weekday()) % 7 or 7)
    client.force_login(dana)
    response = client.post(f"/en/staff/cases/{case.id}/plan/", _plan([saturday]), follow=True)
    assert "falls on a weekend" in response.content.decode()
    assert case.plan.steps.get().due_on == saturday


def test_a_working_day_gets_no_warning(client, dana, case, holiday):
    client.force_login(dana)
    response = client.post(
        f"/en/staff/cases/{case.id}/plan/", _plan([add_working_days(holiday.date, 1)]), follow=True
    )
    assert not [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert PlanStep.objects.filter(plan__case=case).count() == 1
