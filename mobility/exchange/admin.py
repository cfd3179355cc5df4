from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.accounts.access import is_admin, region_ids_of
from mobility.admin_site import RoleScopedAdmin
from mobility.exchange.models import (
    Application,
    ApplicationEvent,
    Registration,
    SeekerProfile,
    Vacancy,
    VacancySkill,
)


class RegionScopedAdmin(RoleScopedAdmin):
    """Centre staff see the rows of their own regions only; administrators see all."""

    region_path = "region"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        regions = region_ids_of(request.user)
        return qs.filter(**{f"{self.region_path}_id__in": regions})


class VacancySkillInline(admin.TabularInline):
    model = VacancySkill
    extra = 0
    raw_id_fields = ["skill"]


@admin.register(Vacancy)
class VacancyAdmin(RegionScopedAdmin):
    """Read-only for staff: vacancies change through the employer pages and the API."""

    list_display = ["title", "organisation", "region", "status", "salary_min", "salary_max", "published_at"]
    list_filter = ["status", "region", "schedule", "housing_offered", "open_to_resettlers"]
    search_fields = ["title", "organisation__name", "organisation__bin", "external_id"]
    list_select_related = ["organisation", "region"]
    raw_id_fields = ["organisation", "occupation", "created_by"]
    inlines = [VacancySkillInline]
    date_hierarchy = "published_at"


@admin.register(SeekerProfile)
class SeekerProfileAdmin(RegionScopedAdmin):
    list_display = ["user", "region", "headline", "visibility", "will_relocate", "updated_at"]
    list_filter = ["visibility", "region", "will_relocate"]
    search_fields = ["user__last_name", "user__first_name", "user__email", "headline"]
    list_select_related = ["user", "region"]
    raw_id_fields = ["user"]


@admin.register(Registration)
class RegistrationAdmin(RegionScopedAdmin):
    region_path = "centre__region"

    list_display = ["profile", "centre", "kind", "status", "registered_on", "ended_on"]
    list_filter = ["status", "kind", "centre__region"]
    list_select_related = ["profile__user", "centre"]
    raw_id_fields = ["profile"]


class ApplicationEventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    readonly_fields = ["from_status", "to_status", "actor", "reason", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(RegionScopedAdmin):
    region_path = "vacancy__region"

    list_display = ["seeker", "vacancy", "status", "updated_at"]
    list_filter = ["status"]
    list_select_related = ["seeker__user", "vacancy"]
    raw_id_fields = ["seeker", "vacancy"]
    # The status moves only through the workflow (which writes its history); never by hand.
    readonly_fields = ["status"]
    inlines = [ApplicationEventInline]
