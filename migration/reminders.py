"""Reminder rules of the foreign-specialist workflow, on the notifications' one mechanism
(`mobility.notifications.reminders`, run every morning by the "Reminders and deadlines"
schedule): each yields who to remind of what today; the run keys them by rule, subject and day,
so a second run the same day reminds nobody twice. Registered when the app is ready."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from django.db.models import Q

from mobility.notifications.reminders import Reminder, reminder_rule

REPORT_DAYS_AHEAD = 3  # an employer's report due within this many days (and every day it is overdue)
CARD_EXPIRY_NOTICES = (60, 30, 7)  # days before a card ends when its holder is told


@reminder_rule("foreign_reporting", template="reminder_foreign_reporting")
def reporting_duties_due(today: dt.date) -> Iterator[Reminder]:
    """The employer's people: a report on a sponsored specialist (started, left) due soon or late."""
    from migration.models import ReportingDuty
    from mobility.accounts.models import OrganisationMembership

    duties = list(
        ReportingDuty.objects.filter(
            status=ReportingDuty.Status.OPEN, due_on__lte=today + dt.timedelta(days=REPORT_DAYS_AHEAD)
        ).select_related("application__applicant__user")
    )
    if not duties:
        return
    members: dict[int, list[Any]] = defaultdict(list)
    for m in OrganisationMembership.objects.filter(
        organisation_id__in={d.organisation_id for d in duties}
    ).select_related("user"):
        members[m.organisation_id].append(m.user)
    for duty in duties:
        for person in members[duty.organisation_id]:
            yield Reminder(
                person=person,
                subject=f"duty:{duty.pk}:{person.pk}",
                context={
                    "duty": duty,
                    "specialist": duty.application.applicant.user.get_full_name(),
                    "overdue": duty.due_on < today,
                },
            )


@reminder_rule("foreign_overdue", template="reminder_foreign_overdue")
def overdue_cases(today: dt.date) -> Iterator[Reminder]:
    """Migration officers of a centre: its applications, steps and appeals past their deadline."""
    from migration.models import Appeal, Application, ApplicationStep
    from migration.states import OPEN_APPLICATION_STATUSES, AppealStatus, StepStatus
    from mobility.accounts.models import CentreMembership
    from mobility.core.actors import Role

    late: dict[int, int] = defaultdict(int)
    open_q = Q(application__status__in=OPEN_APPLICATION_STATUSES)
    for centre_id in Application.objects.filter(
        status__in=OPEN_APPLICATION_STATUSES, due_on__lt=today
    ).values_list("centre_id", flat=True):
        late[centre_id] += 1
    for centre_id in ApplicationStep.objects.filter(
        open_q, status=StepStatus.PENDING, due_on__lt=today
    ).values_list("application__centre_id", flat=True):
        late[centre_id] += 1
    for centre_id in Appeal.objects.filter(status=AppealStatus.LODGED, due_on__lt=today).values_list(
        "application__centre_id", flat=True
    ):
        late[centre_id] += 1
    if not late:
        return
    for membership in CentreMembership.objects.filter(
        centre_id__in=list(late), role=Role.MIGRATION_OFFICER
    ).select_related("user"):
        yield Reminder(
            person=membership.user,
            subject=f"officer:{membership.user_id}:{membership.centre_id}",
            context={"count": late[membership.centre_id]},
        )


@reminder_rule("foreign_card_expiry", template="reminder_foreign_card_expiry")
def cards_ending(today: dt.date) -> Iterator[Reminder]:
    """The holder: their card or visa ends in 60, 30 or 7 days."""
    from migration.selectors import valid_cards

    days = [today + dt.timedelta(days=n) for n in CARD_EXPIRY_NOTICES]
    for card in (
        valid_cards(today).filter(valid_until__in=days).select_related("application__applicant__user")
    ):
        yield Reminder(
            person=card.application.applicant.user,
            subject=f"card:{card.pk}",
            context={"card": card, "days": (card.valid_until - today).days},
        )
