"""The admin site, opened to centre staff by role rather than by the is_staff flag."""

from __future__ import annotations

from typing import Any

from axes.apps import AppConfig as AxesAppConfig
from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of


class MobilityAdminSite(admin.AdminSite):
    site_header = _("Labour-mobility service administration")
    site_title = _("Labour-mobility administration")
    index_title = _("Reference data, users and rules")

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and (user.is_staff or actor_of(request).is_staff_member))


class MobilityAdminConfig(AdminConfig):
    default_site = "mobility.admin_site.MobilityAdminSite"


class AxesConfig(AxesAppConfig):
    """django-axes under a translated name in the admin (its own words: accounts/axes_words.py)."""

    verbose_name = _("Sign-in throttling")


class RoleScopedAdmin(admin.ModelAdmin):
    """Centre staff may look; only administrators change, unless a subclass says more."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return actor_of(request).is_staff_member

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return bool(request.user.is_superuser)


class ExchangeStaffAdmin(RoleScopedAdmin):
    """Models of the labour exchange: counsellors and regional managers look (at what their
    centres serve), administrators change; migration officers do not open them."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        actor = actor_of(request)
        return actor.is_admin or actor.has_centre_role(*EXCHANGE_STAFF_ROLES)
