"""The vacancy editor and the vacancy pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mobility.accounts.access import employer_required
from mobility.accounts.models import Organisation
from mobility.core.forms import apply_errors
from mobility.core.workflow import EMPLOYER
from mobility.employer import access, forms, selectors, services
from mobility.exchange import services as exchange
from mobility.exchange.models import VACANCY_WORKFLOW, Vacancy
from mobility.reference.rules import minimum_wage_on

from ._shared import _actor


def _vacancy_initial(vacancy: Vacancy) -> dict[str, Any]:
    skills = list(vacancy.skills.all())
    initial = {f: getattr(vacancy, f) for f in services.COPY_FIELDS if f != "occupation"}
    initial["occupation"] = selectors.occupation_label(vacancy.occupation)
    initial["region"] = vacancy.region_id
    initial["required_skills"] = "\n".join(s.name for s in skills if s.required)
    initial["optional_skills"] = "\n".join(s.name for s in skills if not s.required)
    return initial


def _initial_from_post(post: Any) -> dict[str, Any]:
    initial: dict[str, Any] = {name: post.get(name, "") for name in forms.VacancyForm.base_fields}
    initial["languages"] = post.getlist("languages")
    for flag in ("housing_offered", "open_to_resettlers", "open_to_foreigners"):
        initial[flag] = flag in post
    return initial


def _vacancy_form_page(request: HttpRequest, *, org: Organisation, vacancy: Vacancy | None) -> HttpResponse:
    """Create or edit. "Suggest skills" fills the skill lists from the occupation without saving."""
    initial: dict[str, Any] = _vacancy_initial(vacancy) if vacancy else {"region": org.region_id}
    if request.method == "POST" and "suggest" in request.POST:
        initial = _initial_from_post(request.POST)
        occupation = selectors.occupation_by_label(request.POST.get("occupation", ""))
        essential, optional = selectors.occupation_skill_suggestions(occupation)
        if not str(initial["required_skills"]).strip():
            initial["required_skills"] = "\n".join(essential)
        if not str(initial["optional_skills"]).strip():
            initial["optional_skills"] = "\n".join(optional)
        if occupation is None:
            messages.warning(request, _("Pick the occupation from the list first, then ask for its skills."))
        form = forms.VacancyForm(initial=initial)
        return render(
            request, "employer/vacancy_form.html", _form_context(form, org, vacancy, essential, optional)
        )
    form = forms.VacancyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        required, optional = form.skills()
        try:
            if vacancy is None:
                vacancy = exchange.vacancy_create(
                    organisation=org,
                    by=_actor(request),
                    required_skills=required,
                    optional_skills=optional,
                    **form.vacancy_data(),
                )
            else:
                vacancy = exchange.vacancy_update(
                    vacancy=Vacancy.objects.get(pk=vacancy.pk),
                    by=_actor(request),
                    required_skills=required,
                    optional_skills=optional,
                    **form.vacancy_data(),
                )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            if "publish" in request.POST and vacancy.status != Vacancy.Status.PUBLISHED:
                try:
                    exchange.vacancy_set_status(
                        vacancy=vacancy,
                        status=Vacancy.Status.PUBLISHED,
                        by=_actor(request),
                    )
                except ValidationError as exc:
                    messages.warning(
                        request,
                        _("The vacancy is saved but not published: %(why)s")
                        % {"why": " ".join(exc.messages)},
                    )
                else:
                    messages.success(request, _("The vacancy is published."))
            else:
                messages.success(request, _("The vacancy is saved."))
            return redirect("employer:vacancy", vacancy_id=vacancy.pk)
    occupation = (
        form.occupation_obj
        if form.is_bound and form.occupation_obj is not None
        else (vacancy.occupation if vacancy else None)
    )
    essential, optional = selectors.occupation_skill_suggestions(occupation)
    return render(
        request, "employer/vacancy_form.html", _form_context(form, org, vacancy, essential, optional)
    )


def _form_context(
    form: forms.VacancyForm,
    org: Organisation,
    vacancy: Vacancy | None,
    essential: list[str],
    optional: list[str],
) -> dict[str, Any]:
    return {
        "form": form,
        "organisation": org,
        "vacancy": vacancy,
        "suggested_required": essential,
        "suggested_optional": optional,
        "minimum_wage": minimum_wage_on(timezone.localdate()),
    }


@employer_required
def vacancy_new(request: HttpRequest, organisation_id: int) -> HttpResponse:
    org = access.get_organisation_for_employer(request.user, organisation_id)
    return _vacancy_form_page(request, org=org, vacancy=None)


@employer_required
def vacancy_edit(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    return _vacancy_form_page(request, org=vacancy.organisation, vacancy=vacancy)


@employer_required
def vacancy_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    vacancies = selectors.employer_vacancies(request.user)
    if status in Vacancy.Status.values:
        vacancies = vacancies.filter(status=status)
    return render(
        request,
        "employer/vacancy_list.html",
        {
            "vacancies": vacancies[:200],
            "status": status,
            "statuses": Vacancy.Status.choices,
            "organisations": selectors.employer_organisations(request.user),
        },
    )


@employer_required
def vacancy_detail(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    return render(
        request,
        "employer/vacancy_detail.html",
        {
            "vacancy": vacancy,
            "skills": vacancy.skills.all(),
            "occupation_name": selectors.occupation_label(vacancy.occupation),
            "moves": VACANCY_WORKFLOW.targets_from(vacancy.status, EMPLOYER),
            "history": _vacancy_history(vacancy),
        },
    )


def _vacancy_history(vacancy: Vacancy) -> Any:
    from mobility.core.audit import audit_trail

    return audit_trail(vacancy)[:20]


@employer_required
@require_POST
def vacancy_status(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    target = request.POST.get("status", "")
    if target not in Vacancy.Status.values:
        messages.error(request, _("Unknown action."))
        return redirect("employer:vacancy", vacancy_id=vacancy.id)
    try:
        exchange.vacancy_set_status(
            vacancy=vacancy,
            status=target,
            by=_actor(request),
            reason=request.POST.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            {
                "published": _("The vacancy is published."),
                "paused": _("The vacancy is paused: seekers no longer see it."),
                "closed": _("The vacancy is closed."),
                "draft": _("The vacancy is a draft."),
            }[target],
        )
    return redirect("employer:vacancy", vacancy_id=vacancy.id)


@employer_required
@require_POST
def vacancy_duplicate(request: HttpRequest, vacancy_id: int) -> HttpResponse:
    vacancy = access.get_vacancy_for_employer(request.user, vacancy_id)
    try:
        copy = services.vacancy_duplicate(vacancy=vacancy, by=_actor(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("employer:vacancy", vacancy_id=vacancy.id)
    messages.success(request, _("A draft copy is ready to edit."))
    return redirect("employer:vacancy_edit", vacancy_id=copy.id)
