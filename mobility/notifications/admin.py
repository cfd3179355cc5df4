from typing import Any

from django.contrib import admin

from mobility.notifications.models import ConsentChange, InboxMessage, Offer


@admin.register(ConsentChange)
class ConsentChangeAdmin(admin.ModelAdmin):
    """Read-only: the history of every grant and withdrawal."""

    list_display = ["created_at", "person", "topic", "channel", "granted", "source"]
    list_filter = ["topic", "channel", "granted", "source"]
    search_fields = ["person__email"]
    list_select_related = ["person"]

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["created_at", "rule", "subject", "person", "region", "opened_at", "taken_up_at"]
    list_filter = ["rule", "region"]
    list_select_related = ["person", "region"]
    readonly_fields = [
        "person",
        "rule",
        "subject",
        "key",
        "region",
        "details",
        "created_at",
        "opened_at",
        "taken_up_at",
    ]

    def has_add_permission(self, request: Any) -> bool:
        return False


@admin.register(InboxMessage)
class InboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "person", "topic", "subject", "read_at"]
    list_filter = ["topic"]
    list_select_related = ["person"]
    readonly_fields = ["person", "key", "topic", "subject", "body", "legal_notice", "created_at", "read_at"]

    def has_add_permission(self, request: Any) -> bool:
        return False
