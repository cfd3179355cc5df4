"""Interviews: the employer sets a date when inviting a candidate to an interview or later, moves
it or cancels it; the candidate is told each time (a service notice: the inbox and the channels
they chose) and reminded the day before (`mobility.exchange.reminders`)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.workflow import EMPLOYER, MoveForbidden, Sides
from mobility.exchange.models import Application, ApplicationStatus, Interview
from mobility.exchange.sides import application_sides
from mobility.notifications.services import notify
from mobility.notifications.topics import Topic


def _require_employer(application: Application, by: User, side: Sides | None) -> None:
    sides = application_sides(by, application) if side is None else side
    if EMPLOYER not in sides:
        raise MoveForbidden({"interview": _("Only the employer sets the interview.")})


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat(timespec="minutes")


def _tell_the_candidate(interview: Interview, *, template: str, key: str) -> None:
    notify(
        person=interview.application.seeker.user,
        topic=Topic.SERVICE_NOTICES,
        template=template,
        context={"interview": interview, "vacancy": interview.application.vacancy},
        key=key,
    )


@transaction.atomic
def application_interview_schedule(
    *,
    application: Application,
    starts_at: dt.datetime,
    by: User,
    place: str = "",
    note: str = "",
    reason: str = "",
    side: Sides | None = None,
) -> Interview:
    """Set the interview of an application in the "interview" status, or move the one set:
    a time in the future, a place or link, a note. The candidate is told of each new time."""
    _require_employer(application, by, side)
    application = (
        Application.objects.select_for_update()
        .select_related("seeker__user", "vacancy")
        .get(pk=application.pk)
    )
    if application.status != ApplicationStatus.INTERVIEW:
        raise ValidationError(
            {"starts_at": _("Move the candidate to the interview stage first; then set its date.")}
        )
    if timezone.is_naive(starts_at):
        starts_at = timezone.make_aware(starts_at)
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a date and time that has not passed.")})
    place, note = place.strip(), note.strip()
    interview = (
        Interview.objects.select_for_update()
        .filter(application=application, status=Interview.Status.SCHEDULED)
        .first()
    )
    now = timezone.now()
    if interview is None:
        interview = Interview(application=application, starts_at=starts_at, place=place, note=note)
        interview.scheduled_by, interview.created_at, interview.updated_at = by, now, now
        interview.full_clean()
        interview.save()
        audit_log(
            actor=by,
            action="application.interview_scheduled",
            obj=application,
            to_state=_local(starts_at),
            reason=reason.strip(),
            data={"interview": interview.pk, "place": place},
        )
        _tell_the_candidate(
            interview, template="interview_scheduled", key=f"interview:{interview.pk}:r{interview.revision}"
        )
        return interview
    was = interview.starts_at
    before: dict[str, object] = {"starts_at": was, "place": interview.place, "note": interview.note}
    after: dict[str, object] = {"starts_at": starts_at, "place": place, "note": note}
    if before == after:
        return interview
    moved = was != starts_at
    interview.starts_at, interview.place, interview.note = starts_at, place, note
    interview.scheduled_by, interview.updated_at = by, now
    interview.revision += 1
    interview.full_clean()
    interview.save()
    audit_log(
        actor=by,
        action="application.interview_rescheduled",
        obj=application,
        from_state=_local(was),
        to_state=_local(starts_at),
        reason=reason.strip(),
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        data={"interview": interview.pk},
    )
    _tell_the_candidate(
        interview,
        template="interview_moved" if moved else "interview_scheduled",
        key=f"interview:{interview.pk}:r{interview.revision}",
    )
    return interview


@transaction.atomic
def application_interview_cancel(
    *, application: Application, by: User, reason: str, side: Sides | None = None
) -> Interview:
    """Cancel the interview set for an application (a reason is required; the candidate is told)."""
    _require_employer(application, by, side)
    interview = (
        Interview.objects.select_for_update()
        .select_related("application__seeker__user", "application__vacancy")
        .filter(application=application, status=Interview.Status.SCHEDULED)
        .first()
    )
    if interview is None:
        raise ValidationError({"interview": _("No interview is set for this application.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the interview is cancelled.")})
    interview.status = Interview.Status.CANCELLED
    interview.cancel_reason = reason.strip()
    interview.scheduled_by, interview.updated_at = by, timezone.now()
    interview.save(update_fields=["status", "cancel_reason", "scheduled_by", "updated_at"])
    audit_log(
        actor=by,
        action="application.interview_cancelled",
        obj=application,
        from_state=_local(interview.starts_at),
        to_state=Interview.Status.CANCELLED,
        reason=interview.cancel_reason,
        data={"interview": interview.pk},
    )
    _tell_the_candidate(interview, template="interview_cancelled", key=f"interview:{interview.pk}:cancelled")
    return interview
