from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.admin_site import ExchangeStaffAdmin
from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    Registration,
    SeekerProfile,
    Vacancy,
    VacancySkill,
)
from mobility.exchange.selectors import registrations_in_scope, seekers_in_scope
from mobility.exchange.services import PROFILE_FIELDS, VACANCY_EDITABLE_FIELDS, profile_update, vacancy_update


class PeopleScopedAdmin(ExchangeStaffAdmin):
    """Rows about people: staff see the people their centres serve (`seekers_in_scope`, the
    rule the API and the staff pages use too); administrators see all."""

    seeker_path = "id"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        people = seekers_in_scope(request).values("id")
        return super().get_queryset(request).filter(**{f"{self.seeker_path}__in": people})


class ThroughServicesAdmin(ExchangeStaffAdmin):
    """Administrators edit vacancies and profiles through the same services as the pages (audit
    entry, validation, matcher outbox): only the fields those services change are editable; rows
    are created, deleted and moved between states on the pages and the API, not here."""

    editable_fields: tuple[str, ...] = ()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        names = [f.name for f in self.model._meta.get_fields() if getattr(f, "editable", False)]
        return [n for n in names if n not in self.editable_fields and not n.endswith("_ptr")]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changed(self, form: Any) -> dict[str, Any]:
        return {f: form.cleaned_data[f] for f in form.changed_data if f in self.editable_fields}


class VacancySkillInline(admin.TabularInline):
    """Skills change on the employer's vacancy form (they are resolved against the taxonomy)."""

    model = VacancySkill
    extra = 0
    raw_id_fields = ["skill"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Vacancy)
class VacancyAdmin(ThroughServicesAdmin):
    """Read-only for staff, who see their regions' vacancies: vacancies change through the
    employer pages and the API (administrators' edits go through `vacancy_update`)."""

    editable_fields = VACANCY_EDITABLE_FIELDS

    list_display = ["title", "organisation", "region", "status", "salary_min", "salary_max", "published_at"]
    list_filter = ["status", "region", "schedule", "housing_offered", "open_to_resettlers"]
    search_fields = ["title", "organisation__name", "organisation__bin", "external_id"]
    list_select_related = ["organisation", "region"]
    raw_id_fields = ["organisation", "occupation", "created_by"]
    inlines = [VacancySkillInline]
    date_hierarchy = "published_at"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Vacancy]:
        qs = super().get_queryset(request)
        regions = actor_of(request).region_ids(*EXCHANGE_STAFF_ROLES)
        return qs if regions is None else qs.filter(region_id__in=regions)

    def save_model(self, request: HttpRequest, obj: Vacancy, form: Any, change: bool) -> None:
        vacancy_update(vacancy=obj, by=request.user, **self.changed(form))  # type: ignore[arg-type]


@admin.register(SeekerProfile)
class SeekerProfileAdmin(PeopleScopedAdmin, ThroughServicesAdmin):
    list_display = ["user", "region", "headline", "visibility", "will_relocate", "updated_at"]
    list_filter = ["visibility", "region", "will_relocate"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "headline"]
    list_select_related = ["user", "region"]
    raw_id_fields = ["user"]
    editable_fields = tuple(PROFILE_FIELDS)

    def save_model(self, request: HttpRequest, obj: SeekerProfile, form: Any, change: bool) -> None:
        profile_update(profile=obj, by=request.user, **self.changed(form))  # type: ignore[arg-type]

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Many-to-many fields went through profile_update already (or are read-only)."""


@admin.register(Registration)
class RegistrationAdmin(ExchangeStaffAdmin):
    list_display = ["profile", "centre", "kind", "status", "registered_on", "ended_on"]
    list_filter = ["status", "kind", "centre__region"]
    list_select_related = ["profile__user", "centre"]
    raw_id_fields = ["profile"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Registration]:
        served = registrations_in_scope(request).values("id")
        return super().get_queryset(request).filter(id__in=served)


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(PeopleScopedAdmin):
    seeker_path = "seeker_id"

    list_display = ["seeker", "vacancy", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["seeker__user", "vacancy"]
    raw_id_fields = ["seeker", "vacancy"]
    # The status moves only through the workflow (which writes its history); never by hand.
    readonly_fields = ["status"]
    inlines = [ApplicationEventInline]
