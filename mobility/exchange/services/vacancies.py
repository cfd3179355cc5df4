"""Vacancies: create, edit, status, expiry."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import IndexChange
from matching.services import index_touch, skill_resolve
from mobility.accounts.models import Organisation, User
from mobility.core.audit import audit_log
from mobility.core.workflow import EMPLOYER, Sides, transition
from mobility.exchange.models import (
    VACANCY_WORKFLOW,
    Vacancy,
    VacancySkill,
)
from mobility.reference.rules import minimum_wage_on


def vacancy_validate(vacancy: Vacancy) -> None:
    """The rules the web form, the API and the services share."""
    errors: dict[str, str] = {}
    today = timezone.localdate()
    floor = minimum_wage_on(today)
    for field in ("salary_min", "salary_max"):
        value = getattr(vacancy, field)
        if value is not None and floor is not None and value < floor:
            errors[field] = _("The salary cannot be below the minimum wage (%(wage)s ₸ a month).") % {
                "wage": f"{floor:,}".replace(",", " ")
            }
    if vacancy.salary_min and vacancy.salary_max and vacancy.salary_max < vacancy.salary_min:
        errors["salary_max"] = _("The upper salary must not be lower than the lower one.")
    if vacancy.expires_on and vacancy.expires_on < today:
        errors["expires_on"] = _("The closing date cannot be in the past.")
    if errors:
        raise ValidationError(errors)


def _set_vacancy_skills(vacancy: Vacancy, required: Iterable[str], optional: Iterable[str]) -> None:
    vacancy.skills.all().delete()
    seen: set[str] = set()
    for names, is_required in ((required, True), (optional, False)):
        for name in names:
            name = " ".join(name.split())[:200]
            if not name or name.casefold() in seen:
                continue
            seen.add(name.casefold())
            VacancySkill.objects.create(
                vacancy=vacancy, skill=skill_resolve(name), name=name, required=is_required
            )


@transaction.atomic
def vacancy_create(
    *,
    organisation: Organisation,
    by: User | None,
    required_skills: Iterable[str] = (),
    optional_skills: Iterable[str] = (),
    publish: bool = False,
    **data: Any,
) -> Vacancy:
    vacancy = Vacancy(organisation=organisation, created_by=by, **data)
    vacancy_validate(vacancy)
    vacancy.full_clean()
    vacancy.save()
    _set_vacancy_skills(vacancy, required_skills, optional_skills)
    audit_log(actor=by, action="vacancy.created", obj=vacancy, to_state=vacancy.status)
    if publish:
        # vacancy_set_status works on a fresh row; return that, not the stale draft.
        vacancy = vacancy_set_status(vacancy=vacancy, status=Vacancy.Status.PUBLISHED, by=by)
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    return vacancy


VACANCY_EDITABLE_FIELDS = (
    "occupation",
    "title",
    "description",
    "salary_min",
    "salary_max",
    "region",
    "settlement",
    "schedule",
    "employment_type",
    "languages",
    "positions",
    "housing_offered",
    "open_to_resettlers",
    "open_to_foreigners",
    "expires_on",
    "external_id",
)


@transaction.atomic
def vacancy_update(
    *,
    vacancy: Vacancy,
    by: User | None,
    required_skills: Iterable[str] | None = None,
    optional_skills: Iterable[str] | None = None,
    **data: Any,
) -> Vacancy:
    """Edit a vacancy's content. Status, publication date, filled positions and the
    organisation change only through their own services, never here."""
    unknown = set(data) - set(VACANCY_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"vacancy_update cannot change {sorted(unknown)}")
    for key, value in data.items():
        setattr(vacancy, key, value)
    vacancy.updated_at = timezone.now()
    vacancy_validate(vacancy)
    vacancy.full_clean()
    vacancy.save()
    changed = sorted(data)
    if required_skills is not None or optional_skills is not None:
        _set_vacancy_skills(vacancy, required_skills or (), optional_skills or ())
        changed.append("skills")
    audit_log(actor=by, action="vacancy.updated", obj=vacancy, data={"fields": changed})
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    return vacancy


@transaction.atomic
def vacancy_set_status(
    *, vacancy: Vacancy, status: str, by: User | None, side: Sides = EMPLOYER, reason: str = ""
) -> Vacancy:
    """Publish, pause, close or re-open (`VACANCY_WORKFLOW`). Publishing needs a verified
    organisation. The system closes vacancies too (expiry, the last position filled)."""
    current = Vacancy.objects.select_for_update().select_related("organisation").get(pk=vacancy.pk)
    if status == current.status:
        return current
    changes: dict[str, object] = {"updated_at": timezone.now()}
    if status == Vacancy.Status.PUBLISHED and VACANCY_WORKFLOW.may(current.status, status, side):
        if not current.organisation.is_verified:
            raise ValidationError(
                _("Vacancies are published once the organisation is verified by the centre.")
            )
        if current.expires_on and current.expires_on < timezone.localdate():
            raise ValidationError({"expires_on": _("The closing date cannot be in the past.")})
        changes["published_at"] = timezone.now()
    current = transition(
        current, workflow=VACANCY_WORKFLOW, to=status, side=side, by=by, reason=reason, changes=changes
    )
    index_touch(IndexChange.Kind.VACANCY, current.pk)
    return current
