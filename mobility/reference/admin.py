from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mobility.admin_site import RoleScopedAdmin
from mobility.core.actors import actor_of
from mobility.reference.models import (
    CalendarDay,
    Centre,
    MrpRate,
    ProgrammeRule,
    ReceivingSettlement,
    ReceptionQuota,
    Region,
)
from mobility.reference.services import calendar_day_confirm, calendar_day_save, rule_publish


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
        regions = actor_of(request).region_ids()
        return qs if regions is None else qs.filter(region_id__in=regions)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        managed = actor_of(request).managed_region_ids()
        if managed is None:
            return True
        return bool(managed) and (obj is None or obj.region_id in managed)

    def has_add_permission(self, request: HttpRequest) -> bool:
        managed = actor_of(request).managed_region_ids()
        return managed is None or bool(managed)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        managed = actor_of(request).managed_region_ids()
        if managed is not None and db_field.name == "region":
            kwargs["queryset"] = Region.objects.filter(id__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class DatedRuleAdmin(RoleScopedAdmin):
    """Drafts are edited freely under a version label; publishing (the action) makes a version's
    drafts the rules in force. A published row is read-only: a new dated row supersedes it."""

    publication_fields = ["status", "published_at", "published_by"]
    actions = ["publish"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.is_published:
            return [f.name for f in self.model._meta.fields if f.name != "id"]
        return self.publication_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_published)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not (obj is not None and obj.is_published)

    @admin.action(permissions=["change"], description=_("Publish the draft versions of the selected rows"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        versions = sorted(set(queryset.filter(status="draft").values_list("version", flat=True)))
        if not versions:
            self.message_user(request, _("Choose draft rows to publish."), level=messages.WARNING)
            return
        for version in versions:
            try:
                count = rule_publish(version=version, by=request.user)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), level=messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("Version %(version)s is published (%(count)s rows).")
                    % {"version": version, "count": count},
                )


@admin.register(MrpRate)
class MrpRateAdmin(DatedRuleAdmin):
    list_display = ["year", "mrp", "minimum_wage", "status", "version", "legal_basis"]
    list_filter = ["status", "version"]
    search_fields = ["year", "version"]


@admin.register(ReceptionQuota)
class ReceptionQuotaAdmin(DatedRuleAdmin):
    list_display = ["year", "region", "category", "persons", "status", "version", "legal_basis"]
    list_filter = ["status", "version", "year", "category", "region"]
    list_select_related = ["region"]
    search_fields = ["region__name_ru", "region__name_kk", "region__code", "version"]


@admin.register(ProgrammeRule)
class ProgrammeRuleAdmin(DatedRuleAdmin):
    """Amounts in MRP, shares, periods and switches. Figures the law does not settle (the employer
    subsidy, the certificate's validity, minimum stay and refund, the graduate exception) are
    marked uncertain; minimum stay and refund are 0, that is off, until someone decides them."""

    list_display = [
        "code",
        "mrp_multiplier",
        "unit",
        "uncertain",
        "valid_from",
        "valid_to",
        "status",
        "version",
        "legal_basis",
    ]
    list_filter = ["status", "uncertain", "unit", "version", "code"]
    search_fields = ["code", "legal_basis", "note", "version"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        if "uncertain" in form.base_fields:
            form.base_fields["uncertain"].help_text = _(
                "Ticked where no reliable legal source gives the figure. Minimum stay "
                "(minimum_stay_months) and refund (refund_share) are 0, that is off, by default: the "
                "law's figures are unknown. The rent grid inside 15–30 MRP is configured with codes "
                "rent_subsidy_urban_1 … rent_subsidy_rural_5 (5: five people or more)."
            )
        return form


@admin.register(ReceivingSettlement)
class ReceivingSettlementAdmin(DatedRuleAdmin):
    """The settlements each receiving region's akimat lists for a year."""

    list_display = ["year", "region", "name_ru", "name_kk", "settlement_type", "status", "version"]
    list_filter = ["status", "version", "year", "settlement_type", "region"]
    list_select_related = ["region"]
    search_fields = ["name_ru", "name_kk", "name_en", "region__code", "version"]


@admin.register(CalendarDay)
class CalendarDayAdmin(RoleScopedAdmin):
    """Holidays and transferred days: seeded from the holidays package, confirmed by staff."""

    list_display = ["date", "name", "kind", "source", "confirmed", "confirmed_by"]
    list_filter = ["kind", "confirmed", "source"]
    search_fields = ["name_kk", "name_ru", "name_en"]
    date_hierarchy = "date"
    list_select_related = ["confirmed_by"]
    fields = [
        "date",
        "kind",
        "name_kk",
        "name_ru",
        "name_en",
        "confirmed",
        "source",
        "confirmed_by",
        "confirmed_at",
    ]
    readonly_fields = ["source", "confirmed_by", "confirmed_at"]
    actions = ["confirm"]

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        form.base_fields["confirmed"].help_text = _(
            "Each year the government decides by decree which days off move: staff must check every "
            "date of the year against that decree and tick this box. Add the decree's transfers the "
            "holidays package does not know: a weekday that becomes a day off, and a Saturday that "
            "becomes a working day. A day you edit or confirm is never changed by the yearly reload."
        )
        return form

    def save_model(self, request: HttpRequest, obj: CalendarDay, form: Any, change: bool) -> None:
        calendar_day_save(day=obj, by=request.user)

    @admin.action(permissions=["change"], description=_("Confirm the selected days against the decree"))
    def confirm(self, request: HttpRequest, queryset: QuerySet[CalendarDay]) -> None:
        for day in queryset:
            calendar_day_confirm(day=day, by=request.user)
        self.message_user(request, _("The selected days are confirmed."))
