"""Administrators see which documents exist (never their content here: downloads go through
the checked view, which lets administrators in)."""

from django.contrib import admin
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mobility.core.documents.models import Document


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "owner", "content_type", "size", "uploaded_by", "uploaded_at"]
    list_filter = ["kind", "content_type"]
    search_fields = ["original_name", "owner__email", "owner__iin", "sha256", "public_id"]
    list_select_related = ["owner", "uploaded_by"]
    date_hierarchy = "uploaded_at"
    readonly_fields = [
        "public_id", "download", "owner", "kind", "original_name", "content_type", "size", "sha256",
        "uploaded_by", "uploaded_at", "attached_type", "attached_id",
    ]  # fmt: skip

    @admin.display(description=_("file"))
    def download(self, obj: Document) -> str:
        return format_html('<a href="{}">{}</a>', reverse("document", args=[obj.public_id]), _("Download"))

    # Uploads and removals go through the services (checked, stored, audited).
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
