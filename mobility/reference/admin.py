from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.accounts.access import is_admin, managed_region_ids, region_ids_of
from mobility.admin_site import RoleScopedAdmin
from mobility.reference.models import Centre, MrpRate, ProgrammeRule, ReceptionQuota, Region


@admin.register(Region)
class RegionAdmin(RoleScopedAdmin):
    list_display = ["code", "name_kk", "name_ru", "name_en", "kind", "old_code"]
    list_filter = ["kind"]
    search_fields = ["code", "old_code", "name_kk", "name_ru", "name_en"]


@admin.register(Centre)
class CentreAdmin(RoleScopedAdmin):
    """Regional managers keep their own region's centres up to date."""

    list_display = ["code", "name_ru", "kind", "region", "parent", "is_active"]
    list_filter = ["kind", "region", "is_active"]
    search_fields = ["code", "name_kk", "name_ru", "name_en", "address"]
    list_select_related = ["region", "parent"]
    autocomplete_fields = ["parent"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Centre]:
        qs = super().get_queryset(request)
        if is_admin(request.user):
            return qs
        regions = region_ids_of(request.user)
        return qs.filter(region_id__in=regions)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_admin(request.user):
            return True
        regions = managed_region_ids(request.user)
        return bool(regions) and (obj is None or obj.region_id in regions)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_admin(request.user) or bool(managed_region_ids(request.user))

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if not is_admin(request.user) and db_field.name == "region":
            kwargs["queryset"] = Region.objects.filter(id__in=managed_region_ids(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(MrpRate)
class MrpRateAdmin(RoleScopedAdmin):
    list_display = ["year", "mrp", "minimum_wage", "legal_basis"]
    search_fields = ["year"]


@admin.register(ReceptionQuota)
class ReceptionQuotaAdmin(RoleScopedAdmin):
    list_display = ["year", "region", "category", "persons", "legal_basis"]
    list_filter = ["year", "category", "region"]
    list_select_related = ["region"]
    search_fields = ["region__name_ru", "region__name_kk", "region__code"]


@admin.register(ProgrammeRule)
class ProgrammeRuleAdmin(RoleScopedAdmin):
    list_display = ["code", "mrp_multiplier", "valid_from", "valid_to", "legal_basis"]
    list_filter = ["code"]
    search_fields = ["code", "legal_basis", "note"]
