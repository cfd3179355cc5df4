"""The uploaded-document record. The file itself is in the "documents" storage under a random
name; the person's own file name is kept only (sanitised) to offer it back on download."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Kind(models.TextChoices):
        IDENTITY = "identity", _("Identity document")
        STATUS = "status", _("Status document")
        CV = "cv", _("CV")
        OTHER = "other", _("Other document")

    # The only id that leaves the server: links carry it, never the row number.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Whose document it is (a person's identity card, their CV); None for the system's own.
    # PROTECT: a person's documents are removed through the service (file and audit entry
    # included) before the person can be deleted.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    storage_name = models.CharField(max_length=255, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    # What the document belongs to (a registration, a seeker profile, …): a generic link, so
    # the kernel needs to know none of the apps that use it.
    attached_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    attached_id = models.CharField(max_length=64, blank=True)
    attached_to = GenericForeignKey("attached_type", "attached_id")

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["attached_type", "attached_id", "kind"])]

    def __str__(self) -> str:
        return self.original_name
