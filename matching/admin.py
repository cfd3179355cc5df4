"""Staff keep the taxonomy's Kazakh and Russian labels and synonyms up to date here."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from matching import services
from matching.engine.normalize import normalize_text
from matching.models import (
    IscoGroup,
    IscoGroupLabel,
    MatchFeedback,
    Occupation,
    OccupationLabel,
    OccupationSkill,
    Skill,
    SkillLabel,
    Source,
)
from mobility.admin_site import RoleScopedAdmin


def _staff(request: HttpRequest) -> bool:
    from mobility.core.actors import actor_of

    return actor_of(request).is_staff_member


class LabelInline(admin.TabularInline):
    """Centre staff may add and correct labels (synonyms); the search key follows the text."""

    extra = 1
    fields = ["lang", "text", "preferred", "source"]
    readonly_fields = ["source"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).order_by("lang", "-preferred", "text")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff(request)


class OccupationLabelInline(LabelInline):
    model = OccupationLabel


class SkillLabelInline(LabelInline):
    model = SkillLabel


class IscoGroupLabelInline(LabelInline):
    model = IscoGroupLabel


class TaxonomyAdmin(RoleScopedAdmin):
    """Concepts themselves change only by import; their labels are edited by staff."""

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _staff(request)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        labels = formset.save(commit=False)
        for label in labels:
            label.search_key = normalize_text(label.text)[:300]
            if not label.pk:
                label.source = Source.STAFF
            label.save()
        for deleted in formset.deleted_objects:
            deleted.delete()
        formset.save_m2m()
        if labels or formset.deleted_objects:
            # the old index keeps serving while a worker rebuilds with the new labels
            services.taxonomy_changed()


@admin.register(Occupation)
class OccupationAdmin(TaxonomyAdmin):
    list_display = ["uri", "isco_group", "source"]
    list_filter = ["source", "isco_group__parent__parent"]
    search_fields = ["uri", "isco_group__code", "labels__text"]
    list_select_related = ["isco_group"]
    readonly_fields = ["uri", "isco_group", "source", "updated_at"]
    inlines = [OccupationLabelInline]


@admin.register(Skill)
class SkillAdmin(TaxonomyAdmin):
    list_display = ["uri", "skill_type", "source"]
    list_filter = ["source", "skill_type"]
    search_fields = ["uri", "labels__text"]
    readonly_fields = ["uri", "skill_type", "source", "updated_at"]
    inlines = [SkillLabelInline]


@admin.register(IscoGroup)
class IscoGroupAdmin(TaxonomyAdmin):
    list_display = ["code", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "labels__text"]
    readonly_fields = ["code", "level", "parent", "updated_at"]
    inlines = [IscoGroupLabelInline]


@admin.register(OccupationSkill)
class OccupationSkillAdmin(RoleScopedAdmin):
    list_display = ["occupation", "skill", "relation"]
    list_filter = ["relation"]
    raw_id_fields = ["occupation", "skill"]
    list_select_related = ["occupation__isco_group"]


@admin.register(MatchFeedback)
class MatchFeedbackAdmin(RoleScopedAdmin):
    list_display = ["created_at", "event", "seeker", "vacancy", "reason"]
    list_filter = ["event"]
    date_hierarchy = "created_at"
    raw_id_fields = ["seeker", "vacancy"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


OccupationAdmin.search_help_text = _("Search by code or by a label in any language.")
