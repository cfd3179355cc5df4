"""Staff admin for API clients: create (the secret is shown once), rotate and revoke keys,
revoke personal tokens, manage webhook endpoints, read the delivery log and replay deliveries."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mobility.api import services, webhooks
from mobility.api.models import (
    CENTRE_EVENTS,
    ORGANISATION_EVENTS,
    ApiKey,
    PersonalToken,
    Scope,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookEvent,
)


class ApiKeyForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(
        label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = ApiKey
        fields = ("name", "organisation", "centre", "scopes", "rate_per_minute", "expires_at")


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    form = ApiKeyForm
    list_display = ("name", "prefix", "organisation", "centre", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("name", "prefix", "organisation__name", "organisation__bin")
    readonly_fields = ("prefix", "created_by", "created_at", "last_used_at", "revoked_at", "rotated_from")
    actions = ("rotate", "revoke")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None:  # binding and scopes are fixed: rotate or create a new key instead
            return (*self.readonly_fields, "organisation", "centre", "scopes")
        return self.readonly_fields

    def save_model(self, request: HttpRequest, obj: ApiKey, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        key, secret = services.api_key_create(
            name=obj.name,
            scopes=form.cleaned_data["scopes"],
            by=request.user,  # type: ignore[arg-type]
            organisation=obj.organisation,
            centre=obj.centre,
            expires_at=obj.expires_at,
            rate_per_minute=obj.rate_per_minute,
        )
        obj.pk = key.pk
        messages.warning(
            request, _("Copy the secret now, it is not shown again: %(secret)s") % {"secret": secret}
        )

    @admin.action(description=_("Rotate the selected keys (the old secrets stop working)"))
    def rotate(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset.filter(revoked_at__isnull=True):
            new, secret = services.api_key_rotate(key=key, by=request.user)  # type: ignore[arg-type]
            messages.warning(
                request,
                _("New secret for %(name)s, shown once: %(secret)s") % {"name": new.name, "secret": secret},
            )

    @admin.action(description=_("Revoke the selected keys"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for key in queryset:
            services.api_key_revoke(key=key, by=request.user)  # type: ignore[arg-type]


@admin.register(PersonalToken)
class PersonalTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "prefix", "user", "created_at", "last_used_at", "revoked_at")
    search_fields = ("name", "prefix", "user__email")
    readonly_fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    actions = ("revoke",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # people make their own tokens

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[PersonalToken]) -> None:
        for token in queryset:
            services.personal_token_revoke(token=token, by=request.user)  # type: ignore[arg-type]


class WebhookEndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        label=_("events"), choices=WebhookEvent.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = WebhookEndpoint
        fields = ("organisation", "centre", "url", "events", "is_active")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        offered = CENTRE_EVENTS if data.get("centre") else ORGANISATION_EVENTS
        if any(e not in offered for e in data.get("events") or ()):
            self.add_error(
                "events",
                _(
                    "An organisation hears of its vacancies and applications, a centre of "
                    "resettlement decisions."
                ),
            )
        return data


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "organisation", "centre", "is_active", "created_at")
    search_fields = ("url", "organisation__name", "centre__code")

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        endpoint = webhooks.webhook_endpoint_create(
            organisation=obj.organisation,
            centre=obj.centre,
            url=obj.url,
            events=form.cleaned_data["events"],
            by=request.user,  # type: ignore[arg-type]
        )
        obj.pk = endpoint.pk
        messages.warning(
            request,
            _("The signing secret, shown once: %(secret)s") % {"secret": endpoint.secret},
        )


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = ("at", "status_code", "error", "duration_ms")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("id", "event", "endpoint", "status", "attempts", "next_attempt_at", "created_at")
    list_filter = ("status", "event")
    readonly_fields = (
        "endpoint",
        "event",
        "audit_entry_id",
        "payload",
        "status",
        "attempts",
        "next_attempt_at",
        "delivered_at",
        "replay_of",
        "created_at",
    )
    inlines = [WebhookAttemptInline]
    actions = ("replay",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Replay the selected deliveries"))
    def replay(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        for delivery in queryset.select_related("endpoint"):
            webhooks.webhook_replay(delivery=delivery, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The deliveries are queued again."))
