"""Registration at a career centre."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.exchange.models import (
    Registration,
    SeekerProfile,
)
from mobility.reference.models import Centre


@transaction.atomic
def registration_create(
    *, profile: SeekerProfile, centre: Centre, kind: str, registered_on: dt.date, by: User
) -> Registration:
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    if profile.registrations.filter(status=Registration.Status.ACTIVE).exists():
        raise ValidationError(_("This person is already registered; end that registration first."))
    registration = Registration(profile=profile, centre=centre, kind=kind, registered_on=registered_on)
    registration.full_clean()
    registration.save()
    audit_log(actor=by, action="registration.created", obj=registration, to_state=kind)
    return registration


@transaction.atomic
def registration_end(
    *, registration: Registration, reason: str, by: User, on: dt.date | None = None
) -> Registration:
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != Registration.Status.ACTIVE:
        raise ValidationError(_("This registration has already ended."))
    if not reason.strip():
        raise ValidationError({"end_reason": _("Say why the registration ends.")})
    ended_on = on or timezone.localdate()
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("The end date cannot be in the future.")})
    registration.status = Registration.Status.ENDED
    registration.ended_on = ended_on
    registration.end_reason = reason
    registration.full_clean()
    registration.save()
    audit_log(
        actor=by,
        action="registration.ended",
        obj=registration,
        from_state="active",
        to_state="ended",
        reason=reason,
    )
    return registration
