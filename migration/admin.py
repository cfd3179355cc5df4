"""The foreign-specialist rules in the admin: schemes, their versions (with eligibility
categories, steps, documents and decision reasons), the points questionnaires and the shortage
lists. Drafts are edited under a version label and published by the kernel's one publication
(`rule_publish`, the "publish" action); a published version and everything in it is read-only.
Rows no legal text confirms yet are marked "not confirmed" in the lists."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from migration.models import (
    Criterion,
    CriterionOption,
    DecisionReason,
    EligibilityCategory,
    Questionnaire,
    RequiredDocument,
    Scheme,
    SchemeStep,
    SchemeVersion,
    ShortageList,
    ShortageOccupation,
)
from migration.selectors import shortage_evidence
from mobility.admin_site import RoleScopedAdmin
from mobility.reference.admin import DatedRuleAdmin


class FrozenWithParentInline(admin.TabularInline):
    """Rows of a rule version: editable while the version is a draft."""

    extra = 0
    parent_attr = ""

    def _frozen(self, obj: Any) -> bool:
        return obj is not None and bool(getattr(obj, "is_published", False))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


class CategoryInline(FrozenWithParentInline):
    model = EligibilityCategory
    fields = ["order", "code", "name_kk", "name_ru", "name_en", "needs_shortage_occupation", "confirmed"]


class StepInline(FrozenWithParentInline):
    model = SchemeStep
    fields = ["order", "code", "kind", "name_kk", "name_ru", "name_en", "deadline_working_days", "confirmed"]


class DocumentInline(FrozenWithParentInline):
    model = RequiredDocument
    fields = ["order", "code", "name_kk", "name_ru", "name_en", "required", "confirmed"]


class ReasonInline(FrozenWithParentInline):
    model = DecisionReason
    fields = ["order", "code", "outcome", "name_kk", "name_ru", "name_en", "confirmed"]


@admin.register(Scheme)
class SchemeAdmin(RoleScopedAdmin):
    list_display = ["code", "kind"]


@admin.register(SchemeVersion)
class SchemeVersionAdmin(DatedRuleAdmin):
    list_display = ["name", "scheme", "version", "valid_from", "valid_to", "status", "confirmation"]
    list_filter = ["scheme", "status", "confirmed"]
    list_select_related = ["scheme"]
    search_fields = ["version", "name_en", "name_ru", "name_kk"]
    inlines = [CategoryInline, StepInline, DocumentInline, ReasonInline]

    @admin.display(description=_("confirmed by a legal text"))
    def confirmation(self, obj: SchemeVersion) -> str:
        unconfirmed = sum(
            rows.filter(confirmed=False).count()
            for rows in (obj.steps, obj.documents, obj.reasons, obj.categories)
        )
        if obj.confirmed and not unconfirmed:
            return str(_("Confirmed"))
        return str(_("Not confirmed (%(rows)s rows)") % {"rows": unconfirmed + (0 if obj.confirmed else 1)})


class CriterionInline(FrozenWithParentInline):
    model = Criterion
    fields = ["order", "code", "name_kk", "name_ru", "name_en"]
    show_change_link = True


@admin.register(Questionnaire)
class QuestionnaireAdmin(DatedRuleAdmin):
    list_display = ["scheme", "version", "valid_from", "valid_to", "pass_mark", "status", "provisional"]
    list_filter = ["scheme", "status", "provisional"]
    list_select_related = ["scheme"]
    inlines = [CriterionInline]


class OptionInline(admin.TabularInline):
    model = CriterionOption
    extra = 0
    fields = ["order", "code", "name_kk", "name_ru", "name_en", "points"]

    def _frozen(self, obj: Any) -> bool:
        return obj is not None and obj.questionnaire.is_published

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser) and not self._frozen(obj)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True


@admin.register(Criterion)
class CriterionAdmin(RoleScopedAdmin):
    """The answer options and points of one criterion (of a draft questionnaire: editable)."""

    list_display = ["code", "name", "questionnaire"]
    list_filter = ["questionnaire"]
    list_select_related = ["questionnaire"]
    inlines = [OptionInline]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_change_permission(request, obj) and not (
            obj is not None and obj.questionnaire.is_published
        )

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_delete_permission(request, obj) and not (
            obj is not None and obj.questionnaire.is_published
        )


class ShortageOccupationInline(FrozenWithParentInline):
    model = ShortageOccupation
    fields = ["occupation", "field", "note", "exchange_evidence"]
    readonly_fields = ["exchange_evidence"]
    raw_id_fields = ["occupation"]

    @admin.display(description=_("on the exchange now"))
    def exchange_evidence(self, row: ShortageOccupation) -> str:
        if not row.occupation_id:
            return ""
        found = shortage_evidence([row.occupation_id])[row.occupation_id]
        return str(
            _("%(vacancies)s open vacancies (median %(days)s days open), %(seekers)s registered job seekers")
            % {
                "vacancies": found.open_vacancies,
                "days": found.median_days_open if found.median_days_open is not None else "—",
                "seekers": found.registered_seekers,
            }
        )


@admin.register(ShortageList)
class ShortageListAdmin(DatedRuleAdmin):
    list_display = ["year", "version", "status", "legal_basis"]
    list_filter = ["status"]
    inlines = [ShortageOccupationInline]
