"""The employer's side: flagging a vacancy open to foreign specialists after seeing the domestic
candidates first (the evidence is kept), and the reporting duties for sponsored specialists."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matching import services as matching
from migration.models import Card, ForeignOpening, ReportingDuty
from mobility.core.actors import actor_of
from mobility.core.audit import audit_log
from mobility.core.calendar import add_working_days
from mobility.exchange.models import Application as ExchangeApplication
from mobility.exchange.models import SeekerProfile, Vacancy

EVIDENCE_DAYS = 30
EVIDENCE_LIST = 20


def _acts_for(by: Any, organisation_id: int) -> None:
    actor = actor_of(by)
    if not (actor.is_admin or organisation_id in actor.organisation_ids(verified=True)):
        raise ValidationError(_("Only a verified employer of this vacancy does this."))


def domestic_evidence(vacancy: Vacancy) -> dict[str, Any]:
    """What the exchange holds for this vacancy at home: the matcher's ranked list of seekers
    (people tied to vacancies open to foreign specialists left out: they are not the domestic
    supply), seekers who want its occupation, how many of either were registered job seekers or
    unemployed at a centre at some time in the last 30 days, and the applications of those days."""
    from django.db.models import Q

    from migration.selectors import needs_open_vacancy
    from mobility.exchange.models import Registration

    since = timezone.now() - dt.timedelta(days=EVIDENCE_DAYS)
    start = timezone.localdate() - dt.timedelta(days=EVIDENCE_DAYS)
    domestic = SeekerProfile.objects.alias(foreign_only=needs_open_vacancy()).filter(foreign_only=False)
    registered = Registration.objects.filter(registered_on__lte=timezone.localdate()).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    matches = matching.rank_seekers_for(vacancy, limit=EVIDENCE_LIST, explain=False)
    ranked_ids = [int(match.id) for match in matches]
    kept = set(domestic.filter(pk__in=ranked_ids).values_list("pk", flat=True))
    by_occupation = (
        domestic.filter(desired_occupations=vacancy.occupation_id)
        if vacancy.occupation_id
        else SeekerProfile.objects.none()
    )
    matching_ids = kept | set(by_occupation.values_list("pk", flat=True))
    registered_ids = set(
        registered.filter(profile_id__in=matching_ids).values_list("profile_id", flat=True).distinct()
    )
    ranked = [
        {
            "seeker": int(match.id),
            "score": round(float(match.score), 3),
            "registered": int(match.id) in registered_ids,
        }
        for match in matches
        if int(match.id) in kept
    ]
    return {
        "window_days": EVIDENCE_DAYS,
        "matching_seekers": by_occupation.count(),
        "registered_seekers": len(registered_ids),
        "ranked_count": len(ranked),
        "applications": ExchangeApplication.objects.filter(vacancy=vacancy, created_at__gte=since).count(),
        "ranked": ranked,
        "at": timezone.now().isoformat(),
    }


@transaction.atomic
def foreign_opening_open(*, vacancy: Vacancy, by: Any) -> ForeignOpening:
    """Flag a published vacancy of a verified employer open to foreign specialists, keeping the
    domestic-first evidence shown before."""
    _acts_for(by, vacancy.organisation_id)
    if vacancy.status != Vacancy.Status.PUBLISHED or not vacancy.organisation.is_verified:
        raise ValidationError(
            _("Only a published vacancy of a verified employer can be opened to foreign specialists.")
        )
    evidence = domestic_evidence(vacancy)
    opening, _created = ForeignOpening.objects.update_or_create(
        vacancy=vacancy,
        defaults={
            "is_open": True,
            "matching_seekers": evidence["matching_seekers"],
            "applications_30_days": evidence["applications"],
            "evidence": evidence,
            "opened_at": timezone.now(),
            "opened_by": by,
            "closed_at": None,
        },
    )
    audit_log(
        actor=by,
        action="foreign_opening.opened",
        obj=opening,
        data={"vacancy": vacancy.pk, **{k: v for k, v in evidence.items() if k != "ranked"}},
    )
    return opening


@transaction.atomic
def foreign_opening_close(*, opening: ForeignOpening, by: Any) -> ForeignOpening:
    _acts_for(by, opening.vacancy.organisation_id)
    opening.is_open, opening.closed_at = False, timezone.now()
    opening.save(update_fields=["is_open", "closed_at"])
    audit_log(actor=by, action="foreign_opening.closed", obj=opening)
    return opening


@transaction.atomic
def reporting_duty_report(*, duty: ReportingDuty, event_on: dt.date, by: Any) -> ReportingDuty:
    """The employer reports the event (the specialist started or left) on its pages."""
    locked = ReportingDuty.objects.select_for_update().get(pk=duty.pk)
    _acts_for(by, locked.organisation_id)
    if locked.status == ReportingDuty.Status.DONE:
        return locked
    if event_on > timezone.localdate():
        raise ValidationError({"event_on": _("The date cannot be in the future.")})
    locked.status, locked.event_on, locked.done_at, locked.done_by = (
        ReportingDuty.Status.DONE,
        event_on,
        timezone.now(),
        by,
    )
    if locked.kind == ReportingDuty.Kind.LEFT:
        started = (
            ReportingDuty.objects.filter(application=locked.application, kind=ReportingDuty.Kind.STARTED)
            .values_list("event_on", flat=True)
            .first()
        )
        if started is not None and event_on < started:
            raise ValidationError({"event_on": _("The specialist cannot leave before starting work.")})
    locked.full_clean()
    locked.save()
    audit_log(
        actor=by,
        action="foreign_reporting.done",
        obj=locked,
        from_state=ReportingDuty.Status.OPEN,
        to_state=ReportingDuty.Status.DONE,
        data={"kind": locked.kind, "event_on": event_on.isoformat()},
    )
    if locked.kind == ReportingDuty.Kind.STARTED:
        reporting_duty_open_left(duty=locked, by=by)
    return locked


def _report_days(application: Any) -> int:
    return int(application.scheme_version.employer_report_working_days)


def reporting_duty_open_left(*, duty: ReportingDuty, by: Any) -> ReportingDuty | None:
    """Once the start is reported, the employer owes the report that the specialist left: due
    `employer_report_working_days` working days after the card or visa ends (sooner when it is
    revoked: `reporting_duties_on_card_end`); the employer reports earlier if they leave earlier.
    Runs in the caller's transaction."""
    application = duty.application
    card = Card.objects.filter(application=application).first()
    if card is None:
        return None
    left, created = ReportingDuty.objects.get_or_create(
        application=application,
        kind=ReportingDuty.Kind.LEFT,
        defaults={
            "organisation_id": duty.organisation_id,
            "due_on": add_working_days(card.valid_until, _report_days(application)),
        },
    )
    if created:
        audit_log(
            actor=by,
            action="foreign_reporting.opened",
            obj=left,
            to_state=ReportingDuty.Status.OPEN,
            data={"kind": left.kind, "due_on": left.due_on.isoformat()},
        )
    return left


def reporting_duties_on_card_end(*, card: Card, ended_on: dt.date, by: Any) -> list[ReportingDuty]:
    """The card ended early (revoked): the open report that the specialist left is due
    `employer_report_working_days` working days from then, unless it was due sooner. Runs in the
    caller's transaction (`cards.card_revoke`)."""
    due = add_working_days(ended_on, _report_days(card.application))
    moved = []
    for duty in ReportingDuty.objects.select_for_update().filter(
        application_id=card.application_id,
        kind=ReportingDuty.Kind.LEFT,
        status=ReportingDuty.Status.OPEN,
        due_on__gt=due,
    ):
        before = duty.due_on
        duty.due_on = due
        duty.full_clean()
        duty.save(update_fields=["due_on"])
        audit_log(
            actor=by,
            action="foreign_reporting.deadline_moved",
            obj=duty,
            changes={"due_on": [before.isoformat(), due.isoformat()]},
            data={"card": card.number},
        )
        moved.append(duty)
    return moved
