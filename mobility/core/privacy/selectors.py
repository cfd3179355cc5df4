"""Reads about personal data: what the service holds about a person, and who viewed it."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from mobility.core.actors import actor_of
from mobility.core.models import AuditEntry
from mobility.core.privacy.models import PersonalDataView


def data_views_of(*, person: Any) -> QuerySet[PersonalDataView]:
    """Views of the person's full record by staff, newest first (centre and role, never who)."""
    return PersonalDataView.objects.filter(person=person).select_related("centre")


def _plain(value: Any) -> Any:
    """JSON-safe, nothing masked: this is the person's own copy."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    return value


def _rows(queryset: QuerySet[Any], *fields: str) -> list[dict[str, Any]]:
    return [_plain(row) for row in queryset.values(*fields)]


def person_data(*, person: Any) -> dict[str, Any]:
    """Everything the service holds about `person`, JSON-safe, section by section.

    Cases show what the person may see of them: the plan, its steps and the notes shared with
    them (internal notes are the centre's working papers). Documents are listed by name; each
    downloads from its own link.
    """
    from migration.models import Application as ForeignApplication
    from migration.models import ForeignApplicant
    from mobility.cases.models import Case, CaseNote, FamilyMember, PlanStep
    from mobility.core.documents.models import Document
    from mobility.exchange.models import (
        Application,
        Education,
        Registration,
        SeekerProfile,
        SeekerSkill,
        WorkExperience,
    )
    from mobility.notifications.models import Consent, InboxMessage
    from mobility.resettlement.models import ApplicationMember, ResettlementApplication

    profile = SeekerProfile.objects.filter(user=person).first()
    cases = Case.objects.filter(person=person)
    applicant = ForeignApplicant.objects.filter(user=person).first()
    return {
        "account": _plain(
            {
                "last_name": person.last_name,
                "first_name": person.first_name,
                "middle_name": person.middle_name,
                "email": person.email,
                "phone": person.phone,
                "iin": person.iin,
                "language": person.language,
                "date_joined": person.date_joined,
                "last_login": person.last_login,
            }
        ),
        "profile": _rows(
            SeekerProfile.objects.filter(user=person),
            "region__code",
            "settlement",
            "headline",
            "about",
            "languages",
            "education_level",
            "will_relocate",
            "expected_salary",
            "employment_type",
            "schedule",
            "visibility",
            "consent_at",
            "created_at",
            "updated_at",
        ),
        "skills": _rows(SeekerSkill.objects.filter(profile=profile), "name", "level") if profile else [],
        "experience": _rows(
            WorkExperience.objects.filter(profile=profile),
            "title",
            "employer_name",
            "started_on",
            "ended_on",
            "description",
        )
        if profile
        else [],
        "education": _rows(
            Education.objects.filter(profile=profile), "level", "institution", "speciality", "year_completed"
        )
        if profile
        else [],
        "registrations": _rows(
            Registration.objects.filter(profile__user=person),
            "centre__name_kk",
            "centre__name_ru",
            "centre__name_en",
            "kind",
            "status",
            "registered_on",
            "ended_on",
            "end_reason",
        ),
        "applications": _rows(
            Application.objects.filter(seeker__user=person),
            "vacancy__title",
            "vacancy__organisation__name",
            "status",
            "cover_note",
            "contacts_shared",
            "created_at",
            "updated_at",
        ),
        "cases": _rows(
            cases,
            "id",
            "centre__name_kk",
            "centre__name_ru",
            "centre__name_en",
            "status",
            "opened_at",
            "closed_at",
            "close_reason",
        ),
        "plan_steps": _rows(
            PlanStep.objects.filter(plan__case__person=person), "plan__case_id", "title", "status", "due_on"
        ),
        "shared_notes": _rows(
            CaseNote.objects.filter(case__person=person, shared_with_person=True),
            "case_id",
            "text",
            "created_at",
        ),
        "family": _rows(
            FamilyMember.objects.filter(case__person=person), "iin", "last_name", "first_name", "relation"
        ),
        "resettlement_applications": _rows(
            ResettlementApplication.objects.filter(person=person),
            "id",
            "category",
            "year",
            "origin_region__code",
            "destination_region__code",
            "status",
            "submitted_at",
            "decided_at",
            "refusal_reason",
        ),
        "resettlement_members": _rows(
            ApplicationMember.objects.filter(application__person=person),
            "application_id",
            "last_name",
            "first_name",
            "relation",
        ),
        "foreign_applicant": (
            [
                {
                    "citizenship": applicant.citizenship,
                    "passport_country": applicant.passport_country,
                    "passport_number": applicant.passport_number,
                    "passport_expires_on": applicant.passport_expires_on.isoformat(),
                    "birth_date": applicant.birth_date.isoformat() if applicant.birth_date else None,
                }
            ]
            if applicant
            else []
        ),
        "foreign_applications": _rows(
            ForeignApplication.objects.filter(applicant__user=person),
            "number",
            "scheme_version__scheme__code",
            "status",
            "score",
            "submitted_at",
            "decided_at",
        ),
        "consents": _rows(Consent.objects.filter(person=person), "topic", "channel", "granted", "updated_at"),
        "messages": _rows(
            InboxMessage.objects.filter(person=person), "topic", "subject", "body", "created_at", "read_at"
        ),
        "documents": _rows(
            Document.objects.filter(owner=person), "public_id", "kind", "original_name", "size", "uploaded_at"
        ),
        "views_of_my_data": [
            {
                "when": view.viewed_at.isoformat(),
                "centre": view.centre.name if view.centre else "",
                "role": view.get_viewer_role_display(),
                "record": view.get_record_display(),
                "through": view.get_channel_display(),
            }
            for view in data_views_of(person=person)
        ],
    }


# --- The audit search ----------------------------------------------------------------------------


def _model(path: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(path)


# Records the search filters by (key: (app_label.Model, label)).
AUDITED_ENTITIES: dict[str, tuple[str, Any]] = {
    "account": ("accounts.User", _("accounts")),
    "organisation": ("accounts.Organisation", _("organisations")),
    "profile": ("exchange.SeekerProfile", _("job-seeker profiles")),
    "registration": ("exchange.Registration", _("registrations")),
    "vacancy": ("exchange.Vacancy", _("vacancies")),
    "application": ("exchange.Application", _("applications")),
    "case": ("cases.Case", _("cases")),
    "note": ("cases.CaseNote", _("case notes")),
    "family": ("cases.FamilyMember", _("family members")),
    "plan": ("cases.EmploymentPlan", _("employment plans")),
    "resettlement": ("resettlement.ResettlementApplication", _("resettlement applications")),
    "certificate": ("resettlement.Certificate", _("certificates")),
    "budget": ("resettlement.Budget", _("budgets")),
    "foreign": ("foreign.Application", _("foreign-specialist applications")),
    "decision": ("foreign.Decision", _("decisions")),
    "quota": ("reference.ReceptionQuota", _("quotas")),
    "rule": ("reference.ProgrammeRule", _("programme rules")),
    "document": ("core.Document", _("documents")),
}


def _about(model: type[models.Model], ids: Any) -> Q:
    """Entries whose target is one of `ids` (a list or a queryset of primary keys) of `model`."""
    if isinstance(ids, QuerySet):
        ids = ids.annotate(key=Cast("pk", models.CharField())).values("key")
    else:
        ids = [str(pk) for pk in ids]
    return Q(target_type=ContentType.objects.get_for_model(model), target_id__in=ids)


def audit_about_person(person: Any) -> Q:
    """Entries about the person's own records (account, profile, applications, cases, notes,
    family, resettlement and foreign applications, documents) or made by the person."""
    query = Q(actor_id=person.pk) | _about(type(person), [person.pk])
    for path, lookup in (
        ("exchange.SeekerProfile", "user"),
        ("exchange.Registration", "profile__user"),
        ("exchange.Application", "seeker__user"),
        ("cases.Case", "person"),
        ("cases.CaseNote", "case__person"),
        ("cases.FamilyMember", "case__person"),
        ("cases.EmploymentPlan", "case__person"),
        ("resettlement.ResettlementApplication", "person"),
        ("foreign.Application", "applicant__user"),
        ("core.Document", "owner"),
    ):
        model = _model(path)
        query |= _about(model, model._default_manager.filter(**{lookup: person}))
    return query


def _in_regions(region_ids: set[int]) -> Q:
    """Entries about records kept in these regions: the cases (and their notes, family, plans)
    and registrations at the regions' centres, applications and certificates handled there,
    vacancies, organisations, budgets and quotas of the regions."""
    query = Q(pk__in=[])
    for path, lookup in (
        ("cases.Case", "centre__region__in"),
        ("cases.CaseNote", "case__centre__region__in"),
        ("cases.FamilyMember", "case__centre__region__in"),
        ("cases.EmploymentPlan", "case__centre__region__in"),
        ("exchange.Registration", "centre__region__in"),
        ("resettlement.ResettlementApplication", "centre__region__in"),
        ("resettlement.ResettlementApplication", "destination_region__in"),
        ("resettlement.Certificate", "budget__region__in"),
        ("resettlement.Budget", "region__in"),
        ("foreign.Application", "centre__region__in"),
        ("exchange.Vacancy", "region__in"),
        ("accounts.Organisation", "region__in"),
        ("reference.ReceptionQuota", "region__in"),
    ):
        model = _model(path)
        query |= _about(model, model._default_manager.filter(**{lookup: region_ids}))
    return query


def audit_search(
    *,
    user: Any,
    entity: str = "",
    action: str = "",
    actor: str = "",
    since: Any = None,
    until: Any = None,
    iin: str = "",
) -> QuerySet[AuditEntry]:
    """The audit trail as the caller may search it, newest first: administrators all of it,
    regional managers the entries about their regions' records; nobody else anything."""
    import datetime as dt_

    from django.utils import timezone

    caller = actor_of(user)
    entries = AuditEntry.objects.select_related("target_type").order_by("-created_at", "-id")
    if not caller.is_admin:
        regions = caller.managed_region_ids() or set()
        if not regions:
            return entries.none()
        entries = entries.filter(_in_regions(regions))
    if entity in AUDITED_ENTITIES:
        entries = entries.filter(
            target_type=ContentType.objects.get_for_model(_model(AUDITED_ENTITIES[entity][0]))
        )
    if action:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor_label__icontains=actor)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(created_at__gte=dt_.datetime.combine(since, dt_.time.min, tzinfo=zone))
    if until:
        entries = entries.filter(
            created_at__lt=dt_.datetime.combine(until + dt_.timedelta(days=1), dt_.time.min, tzinfo=zone)
        )
    if iin:
        from mobility.accounts.models import User

        person = User.objects.filter(iin=iin).first()
        entries = entries.filter(audit_about_person(person)) if person else entries.none()
    return entries
