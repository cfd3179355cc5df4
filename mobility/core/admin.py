from typing import TYPE_CHECKING, cast

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from mobility.core.audit_labels import audit_action_label
from mobility.core.models import AuditEntry, OutboxMessage
from mobility.core.outbox import outbox_retry_failed

if TYPE_CHECKING:
    from mobility.accounts.models import User


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is never edited, not even by administrators."""

    list_display = [
        "created_at",
        "actor_label",
        "actor_kind",
        "action_label",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
    ]
    list_filter = ["action", "actor_kind", "target_type"]
    search_fields = ["action", "target_id", "reason", "actor_label"]
    date_hierarchy = "created_at"
    list_select_related = ["target_type"]
    # The actor as recorded at the time; the account may since have been deleted.
    fields = [
        "created_at",
        "actor_label",
        "actor_kind",
        "actor_number",
        "action",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
        "reason",
        "changes",
        "data",
    ]
    readonly_fields = ["actor_number"]

    @admin.display(description=_("action"), ordering="action")
    def action_label(self, entry: AuditEntry) -> str:
        return audit_action_label(entry.action)

    @admin.display(description=_("account number"))
    def actor_number(self, entry: AuditEntry) -> int | None:
        return entry.actor_id

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
