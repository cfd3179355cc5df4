"""Employer self-service in the admin: requests to the centre are visible to the staff of
their region; invitations and internal notes only to administrators (notes belong to the
organisation, the centre does not read them)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from mobility.admin_site import ExchangeStaffAdmin
from mobility.employer.models import ApplicationNote, CentreRequest, OrganisationInvitation
from mobility.employer.selectors import staff_requests


@admin.register(CentreRequest)
class CentreRequestAdmin(ExchangeStaffAdmin):
    list_display = ["organisation", "kind", "status", "deadline", "region", "handled_by", "created_at"]
    list_filter = ["status", "kind", "region"]
    search_fields = ["organisation__name", "organisation__bin", "message", "answer"]
    raw_id_fields = ["organisation", "vacancy", "created_by", "handled_by"]
    date_hierarchy = "deadline"

    def get_queryset(self, request: HttpRequest) -> QuerySet[CentreRequest]:
        # The staff queue's own rule: requests of the regions the person serves.
        return super().get_queryset(request).filter(id__in=staff_requests(request).values("id"))


class _AdministratorsOnly(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_active and request.user.is_superuser)


@admin.register(OrganisationInvitation)
class OrganisationInvitationAdmin(_AdministratorsOnly):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "organisation__name", "organisation__bin"]
    raw_id_fields = ["organisation", "invited_by", "accepted_by"]


@admin.register(ApplicationNote)
class ApplicationNoteAdmin(_AdministratorsOnly):
    list_display = ["application", "author", "created_at"]
    raw_id_fields = ["application", "author"]
