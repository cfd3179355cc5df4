from typing import TYPE_CHECKING, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.outbox import outbox_retry_failed

if TYPE_CHECKING:
    from mobility.accounts.models import User


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited, not even by administrators."""

    list_display = ["created_at", "actor", "action", "target_type", "target_id", "from_state", "to_state"]
    list_filter = ["action", "target_type"]
    search_fields = ["action", "target_id", "reason", "actor__email"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "target_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Read-only list of outgoing messages for administrators; failed ones can be sent again.

    The context is not shown: it can hold a one-time link (password reset, activation).
    """

    list_display = ["created_at", "status", "topic", "key", "person", "email", "attempts", "last_error"]
    list_filter = ["status", "topic", "channel"]
    search_fields = ["key", "email", "person__email"]
    date_hierarchy = "created_at"
    list_select_related = ["person"]
    fields = [
        "key",
        "person",
        "email",
        "channel",
        "topic",
        "template",
        "language",
        "status",
        "attempts",
        "last_error",
        "created_at",
        "last_attempt_at",
        "sent_at",
    ]
    actions = ["retry_failed"]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return bool(request.user.is_superuser)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_retry_permission(self, request: HttpRequest) -> bool:
        return bool(request.user.is_superuser)

    @admin.action(description=_("Send the failed messages again"), permissions=["retry"])
    def retry_failed(self, request: HttpRequest, queryset: QuerySet[OutboxMessage]) -> None:
        count = outbox_retry_failed(
            messages=queryset.filter(status=OutboxMessage.Status.FAILED), by=cast("User", request.user)
        )
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


from mobility.core.documents import admin as documents_admin  # noqa: E402, F401 (registers Document)
