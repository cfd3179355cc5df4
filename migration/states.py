"""The states of foreign-specialist applications, appeals and cards (declared apart from the
models so that the workflows, which the models' constraints derive from, import no model)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    POOLED = "pooled", _("In the points pool")
    INVITED = "invited", _("Invited in a round")
    IN_REVIEW = "in_review", _("Under review")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_APPLICATION_STATUSES = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.POOLED,
    ApplicationStatus.INVITED,
    ApplicationStatus.IN_REVIEW,
)


class AppealStatus(models.TextChoices):
    LODGED = "lodged", _("Lodged")
    GRANTED = "granted", _("Granted: the refusal is overturned")
    DISMISSED = "dismissed", _("Dismissed: the refusal stands")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class CardStatus(models.TextChoices):
    ACTIVE = "active", _("Issued")
    REVOKED = "revoked", _("Revoked")


class StepStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    WAIVED = "waived", _("Not needed")


# A holder who acquires it is no longer a foreign specialist (cards of schemes void on
# citizenship end; the vacancies open to foreign specialists stop mattering).
KAZAKH_CITIZENSHIP = "KZ"
