"""Views of a person's full record by staff: one row per view, shown to the person."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mobility.core.actors import Role


class PersonalDataView(models.Model):
    """A member of staff (on the pages or through the API) or a centre's system (its API key)
    opened a person's full record.

    Kept apart from the audit trail on purpose: the audit is the stream of state changes that
    the case timeline and the webhooks follow, and reads are many times more frequent than
    changes (every opening of a case page). The person sees the centre, the role and the time;
    the staff member's account number (or the key's id) is kept for the data-protection officer,
    never shown to the person.
    """

    class Channel(models.TextChoices):
        PAGE = "page", _("service pages")
        API = "api", _("API, by the member of staff")
        API_KEY = "api_key", _("the centre's information system (API key)")

    class Record(models.TextChoices):
        CASE = "case", _("case file")
        RESETTLEMENT = "resettlement_application", _("resettlement application")
        FOREIGN = "foreign_application", _("foreign-specialist application")
        DOCUMENT = "document", _("document")
        SEEKER_PROFILE = "seeker_profile", _("job-seeker profile")

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="data_views",
    )
    viewed_at = models.DateTimeField(_("when"), default=timezone.now)
    # None for a centre's API key made by nobody in particular (the key's id is then all there is)
    viewer_id = models.BigIntegerField(_("staff account number"), null=True, blank=True)
    viewer_role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    centre = models.ForeignKey(
        "reference.Centre",
        verbose_name=_("centre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    record = models.CharField(_("record"), max_length=32, choices=Record.choices)
    object_id = models.CharField(max_length=64)
    channel = models.CharField(_("through"), max_length=16, choices=Channel.choices, default=Channel.PAGE)
    api_key_prefix = models.CharField(_("API key id"), max_length=16, blank=True)

    class Meta:
        verbose_name = _("view of personal data")
        verbose_name_plural = _("views of personal data")
        ordering = ["-viewed_at", "-id"]
        indexes = [models.Index(fields=["person", "viewed_at"], name="data_view_person_when")]

    def __str__(self) -> str:
        return f"{self.viewed_at:%Y-%m-%d %H:%M} {self.record} {self.object_id}"


class Pseudonymisation(models.Model):
    """A person whose personal data the retention task replaced with a pseudonym, and when."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pseudonymisation"
    )
    done_at = models.DateTimeField(_("when"), default=timezone.now)
    rule = models.CharField(_("retention rule"), max_length=100)

    class Meta:
        verbose_name = _("pseudonymisation")
        verbose_name_plural = _("pseudonymisations")

    def __str__(self) -> str:
        return f"{self.person_id} {self.done_at:%Y-%m-%d}"
