from __future__ import annotations

from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from mobility.accounts.models import CentreMembership, Organisation, OrganisationMembership, User
from mobility.accounts.services import (
    Channel,
    account_activation_start,
    account_admin_save,
    account_create,
    two_factor_remove,
)
from mobility.admin_site import ExchangeStaffAdmin
from mobility.core.actors import EXCHANGE_STAFF_ROLES, actor_of
from mobility.reference.models import Centre


class UserCreateForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "iin", "last_name", "first_name", "language")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class CentreMembershipInline(admin.TabularInline):
    model = CentreMembership
    extra = 0
    autocomplete_fields = ["centre"]

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        managed = actor_of(request).managed_region_ids()
        if db_field.name == "centre" and managed is not None:
            kwargs["queryset"] = Centre.objects.filter(region_id__in=managed)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OrganisationMembershipInline(admin.TabularInline):
    model = OrganisationMembership
    extra = 0
    autocomplete_fields = ["organisation", "user"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Administrators manage everyone; a regional manager manages the staff of their region."""

    form = UserEditForm
    add_form = UserCreateForm
    ordering = ["last_name", "first_name"]
    list_display = ["__str__", "email", "masked_iin", "language", "is_active", "is_superuser", "date_joined"]
    list_filter = ["is_active", "is_superuser", "language", "centre_memberships__role"]
    search_fields = ["email", "iin", "last_name", "first_name", "phone"]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [CentreMembershipInline]
    actions = ["reset_two_factor"]
    fieldsets = (
        (None, {"fields": ("email", "iin", "phone", "password")}),
        (_("Name and language"), {"fields": ("last_name", "first_name", "middle_name", "language")}),
        (_("Access"), {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "email",
                    "iin",
                    "last_name",
                    "first_name",
                    "language",
                    "usable_password",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

    @admin.display(description=_("IIN"))
    def masked_iin(self, obj: User) -> str:
        return obj.masked_iin

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        """A new person is created like every other account (validated, audited); without a
        password they get the activation link at their email."""
        if change:
            return  # saved with its many-to-many fields and inlines in `save_related`, audited there
        by = cast(User, request.user)
        result = account_create(
            channel=Channel.ADMINISTRATION,
            by=by,
            email=obj.email,
            iin=obj.iin,
            last_name=obj.last_name,
            first_name=obj.first_name,
            language=obj.language,
        )
        if obj.has_usable_password():  # the form has hashed the password it was given
            User.objects.filter(pk=result.user.pk).update(password=obj.password)
        obj.pk = result.user.pk
        obj._state.adding = False
        obj.refresh_from_db()
        account_activation_start(user=obj, by=by, base_url=request.build_absolute_uri("/"), issue_code=False)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not change:
            super().save_related(request, form, formsets, change)
            return

        def save() -> None:
            form.instance.save()
            super(UserAdmin, self).save_related(request, form, formsets, change)

        account_admin_save(user=form.instance, by=cast(User, request.user), save=save)

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        qs = super().get_queryset(request)
        managed = actor_of(request).managed_region_ids()
        if managed is None:
            return qs
        return qs.filter(centre_memberships__centre__region_id__in=managed).distinct()

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        fieldsets = super().get_fieldsets(request, obj)
        if actor_of(request).is_admin or obj is None:
            return fieldsets
        # Regional managers never grant administrator rights.
        return [fs for fs in fieldsets if fs[0] != _("Access")] + [(_("Access"), {"fields": ("is_active",)})]

    def has_module_permission(self, request: HttpRequest) -> bool:
        managed = actor_of(request).managed_region_ids()
        return managed is None or bool(managed)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_module_permission(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return self.has_module_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return actor_of(request).is_admin

    def has_reset_two_factor_permission(self, request: HttpRequest) -> bool:
        return actor_of(request).is_admin

    @admin.action(description=_("Reset two-step sign-in (lost phone)"), permissions=["reset_two_factor"])
    def reset_two_factor(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        """The person's authenticator and recovery codes are removed (audited, with the
        administrator named); staff set up a new one at their next sign-in."""
        by = cast(User, request.user)
        for user in queryset:
            two_factor_remove(user=user, by=by, reason=str(_("Reset from the administration site")))
        count = len(queryset)
        self.message_user(
            request,
            ngettext(
                "Two-step sign-in reset for %(count)d person.",
                "Two-step sign-in reset for %(count)d people.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


# Devices are changed only through the audited services (the page, the reset action above): the
# secrets and recovery codes django-otp's own admin would show never appear in the admin.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)


@admin.register(Organisation)
class OrganisationAdmin(ExchangeStaffAdmin):
    """Employers are the labour exchange's: its staff see their regions' organisations."""

    list_display = ["name", "bin", "region", "status", "head_office", "verified_at"]
    list_filter = ["status", "region"]
    search_fields = ["name", "bin", "email"]
    list_select_related = ["region", "head_office"]
    autocomplete_fields = ["head_office"]
    # Verification is a decision: it goes through the audited service, never a raw edit.
    readonly_fields = ["status", "status_reason", "verified_at", "created_at"]
    inlines = [OrganisationMembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organisation]:
        qs = super().get_queryset(request)
        regions = actor_of(request).region_ids(*EXCHANGE_STAFF_ROLES)
        return qs if regions is None else qs.filter(region_id__in=regions)
