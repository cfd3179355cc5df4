"""Applications and their status moves."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import services as matching_services
from matching.models import IndexChange
from matching.services import index_touch
from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.workflow import START, SYSTEM, Sides, transition
from mobility.exchange.models import (
    APPLICATION_WORKFLOW,
    Application,
    ApplicationEvent,
    ApplicationStatus,
    Registration,
    SeekerProfile,
    Vacancy,
)
from mobility.exchange.sides import application_sides

from .interviews import application_interview_schedule
from .registrations import registration_end
from .vacancies import vacancy_set_status


def _record_feedback(application: Application, event: str, reason: str = "") -> None:
    """The matcher's outcome row (pseudonymous, with the pair's last shown score and components)."""
    matching_services.outcome_record(
        seeker_id=application.seeker_id, vacancy_id=application.vacancy_id, event=event, reason=reason
    )


@transaction.atomic
def application_create(
    *, seeker: SeekerProfile, vacancy: Vacancy, status: str, by: User, cover_note: str = "", reason: str = ""
) -> Application:
    """A seeker applies, or an employer invites: the first step of the shared state machine."""
    if status not in APPLICATION_WORKFLOW.targets_from(START):
        raise ValidationError(_("An application starts as applied or invited."))
    if vacancy.status != Vacancy.Status.PUBLISHED:
        raise ValidationError(_("This vacancy is not open for applications."))
    application = Application(
        seeker=seeker,
        vacancy=vacancy,
        status=status,
        cover_note=cover_note,
        contacts_shared=status == ApplicationStatus.APPLIED,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(
            _("There is already an open application for this vacancy."), code="conflict"
        ) from exc
    ApplicationEvent.objects.create(
        application=application, from_status="", to_status=status, actor=by, reason=reason
    )
    audit_log(actor=by, action="application.created", obj=application, to_state=status, reason=reason)
    _record_feedback(application, status, reason)
    return application


@transaction.atomic
def application_transition(
    *,
    application: Application,
    to: str,
    by: User,
    side: Sides | None = None,
    reason: str = "",
    interview: dict[str, Any] | None = None,
) -> Application:
    """Move an application along the shared state machine, as the side `by` is on for it
    (`application_sides`; `side` only where the caller is not a person, e.g. an API key).
    Invited → applied is the seeker accepting the invitation, which shares their contacts.
    A move to the interview stage may set the interview at once (`interview`: starts_at, place,
    note, see `application_interview_schedule`); a refused date undoes the move."""
    if interview is not None and to != ApplicationStatus.INTERVIEW:
        raise ValidationError({"starts_at": _("An interview date goes with a move to the interview stage.")})
    if side is None:
        side = application_sides(by, application)
    current = transition(
        application,
        workflow=APPLICATION_WORKFLOW,
        to=to,
        side=side,
        by=by,
        reason=reason.strip(),
        changes=lambda locked, _previous: {
            "updated_at": timezone.now(),
            "contacts_shared": locked.contacts_shared or to == ApplicationStatus.APPLIED,
        },
        event_model=ApplicationEvent,
        event_fk="application",
    )
    _record_feedback(current, to, reason)
    if to == ApplicationStatus.HIRED:
        _close_the_loop_on_hire(current, by)
    if interview is not None:
        application_interview_schedule(application=current, by=by, side=side, **interview)
    return current


def _close_the_loop_on_hire(application: Application, by: User) -> None:
    vacancy = Vacancy.objects.select_for_update().get(pk=application.vacancy_id)
    if vacancy.positions_filled >= vacancy.positions:
        raise ValidationError(_("Every position of this vacancy is already filled."))
    vacancy.positions_filled += 1
    vacancy.updated_at = timezone.now()
    vacancy.save(update_fields=["positions_filled", "updated_at"])
    # A full vacancy closes whether it was published or paused (paused while interviewing).
    if vacancy.positions_filled == vacancy.positions and vacancy.status in (
        Vacancy.Status.PUBLISHED,
        Vacancy.Status.PAUSED,
    ):
        vacancy_set_status(
            vacancy=vacancy, status=Vacancy.Status.CLOSED, by=by, side=SYSTEM, reason="all positions filled"
        )
    active = application.seeker.registrations.filter(status=Registration.Status.ACTIVE).first()
    if active is not None:
        registration_end(registration=active, reason=_("Employed through the exchange"), by=by)
    index_touch(IndexChange.Kind.VACANCY, vacancy.pk)
    index_touch(IndexChange.Kind.SEEKER, application.seeker_id)
