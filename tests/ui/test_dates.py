"""Dates round-trip in every language: a date saved, re-opened and saved again is unchanged.

The defect: in Kazakh and Russian a date widget showed 19.08.2024, which <input type="date"> cannot
display; the field came up blank and saving erased the date (a vacancy's closing date) or refused
the form ("required field"). These tests read the page as a browser does (tests/ui/browser_form).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from typing import Any

import pytest
from django import forms
from django.utils import timezone, translation

import mobility
from mobility.cases import services as cases
from mobility.exchange.models import WorkExperience
from tests.cases.test_workspace import _case, _steps
from tests.employer.conftest import make_vacancy
from tests.factories import SeekerProfileFactory
from tests.ui.browser_form import ISO_DATE, field_value, form_data

LANGUAGES = ["kk", "ru", "en"]
A_DATE = dt.date(2024, 8, 19)


def _all_forms() -> list[Any]:
    for module in pkgutil.walk_packages(mobility.__path__, "mobility."):
        if module.name.endswith(".forms"):
            importlib.import_module(module.name)
    found, todo = set(), [forms.BaseForm]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                todo.append(sub)
    return sorted((f for f in found if f.__module__.startswith("mobility.")), key=lambda f: f.__qualname__)


DATE_FIELDS = [
    (form, name)
    for form in _all_forms()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DateField)
]


def test_the_project_has_date_forms_to_check():
    names = {f"{form.__name__}.{name}" for form, name in DATE_FIELDS}
    assert {"ExperienceForm.started_on", "VacancyForm.expires_on", "StepForm.due_on"} <= names


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "name"), DATE_FIELDS, ids=lambda x: getattr(x, "__name__", x))
def test_every_date_field_shows_a_value_it_reads_back(form, name, language):
    field = form.base_fields[name]
    with translation.override(language):
        html = field.widget.render(name, A_DATE)
        shown = form_data(f"<form>{html}</form>", containing=name)[name][0]
        if field.widget.input_type == "date":
            assert ISO_DATE.match(shown), f"{form.__name__}.{name} shows {shown!r} in {language}"
        submitted = field.widget.value_from_datadict({name: shown}, {}, name)
        assert field.clean(submitted) == A_DATE


DATETIME_FIELDS = [
    (form, name)
    for form in _all_forms()
    for name, field in form.base_fields.items()
    if isinstance(field, forms.DateTimeField)
]
A_TIME = dt.datetime(2024, 8, 19, 9, 30, tzinfo=timezone.get_default_timezone())


def test_the_project_has_datetime_forms_to_check():
    assert ("InterviewForm", "starts_at") in {(f.__name__, n) for f, n in DATETIME_FIELDS}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("form", "name"), DATETIME_FIELDS, ids=lambda x: getattr(x, "__name__", x))
def test_every_datetime_field_shows_a_value_it_reads_back(form, name, language):
    """<input type="datetime-local"> shows only 2024-08-19T09:30, in every language."""
    field = form.base_fields[name]
    with translation.override(language):
        html = field.widget.render(name, A_TIME)
        shown = form_data(f"<form>{html}</form>", containing=name)[name][0]
        if field.widget.input_type == "datetime-local":
            assert shown == "2024-08-19T09:30", f"{form.__name__}.{name} shows {shown!r} in {language}"
        submitted = field.widget.value_from_datadict({name: shown}, {}, name)
        assert field.clean(submitted) == A_TIME


@pytest.mark.parametrize("language", LANGUAGES)
def test_editing_a_vacancy_keeps_its_closing_date(client, bolat, bolat_org, project_taxonomy, language):
    from mobility.employer.selectors import occupation_by_label

    closing = timezone.localdate() + dt.timedelta(days=40)
    vacancy = make_vacancy(
        bolat_org, bolat, expires_on=closing, languages=["kk", "ru"], occupation=occupation_by_label("есепші")
    )
    client.force_login(bolat)
    url = f"/{language}/employer/vacancies/{vacancy.id}/edit/"
    page = client.get(url).content.decode()
    assert field_value(page, "expires_on") == closing.isoformat()
    data = form_data(page, containing="expires_on") | {"save": ["1"]}
    assert client.post(url, data).status_code == 302
    vacancy.refresh_from_db()
    assert vacancy.expires_on == closing
    assert field_value(client.get(url).content.decode(), "expires_on") == closing.isoformat()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_profiles_work_experience_keeps_its_dates(client, aigerim, language):
    profile = SeekerProfileFactory(user=aigerim, headline="Бухгалтер")
    job = WorkExperience.objects.create(
        profile=profile, title="Есепші", started_on=A_DATE, ended_on=dt.date(2025, 1, 31)
    )
    client.force_login(aigerim)
    url = f"/{language}/me/profile/experience/"
    page = client.get(url).content.decode()
    assert field_value(page, "exp-0-started_on") == "2024-08-19"
    response = client.post(url, form_data(page, containing="exp-0-started_on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    job.refresh_from_db()
    assert (job.started_on, job.ended_on) == (A_DATE, dt.date(2025, 1, 31))


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_counsellors_plan_keeps_its_deadlines(client, dana, language):
    case = _case("KZ-55-pavlodar", dana)
    steps = _steps(2)
    cases.plan_save(case=case, goal="Жұмыс табу", steps=steps, by=dana)
    client.force_login(dana)
    url = f"/{language}/staff/cases/{case.id}/plan/"
    page = client.get(url).content.decode()
    assert field_value(page, "steps-0-due_on") == steps[0]["due_on"].isoformat()
    response = client.post(url, form_data(page, containing="steps-0-due_on"))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert sorted(case.plan.steps.values_list("due_on", flat=True)) == [s["due_on"] for s in steps]


def test_an_end_before_the_start_is_refused_beside_the_end_date(client, aigerim):
    SeekerProfileFactory(user=aigerim, headline="Бухгалтер")
    client.force_login(aigerim)
    url = "/ru/me/profile/experience/"
    data = form_data(client.get(url).content.decode(), containing="exp-0-started_on")
    data |= {"exp-0-title": ["Есепші"], "exp-0-started_on": ["2024-08-19"], "exp-0-ended_on": ["2023-01-31"]}
    page = client.post(url, data).content.decode()
    assert WorkExperience.objects.count() == 0
    assert 'id="id_exp-0-ended_on_error"' in page
    assert 'aria-describedby="id_exp-0-ended_on_helptext id_exp-0-ended_on_error"' in page
    assert "experience_period_ordered" not in page  # the constraint's name is no message
    assert field_value(page, "exp-0-title") == "Есепші"  # what was typed is kept
    assert field_value(page, "exp-0-started_on") == "2024-08-19"
