"""Reminder rules of resettlement, on the notifications' one mechanism
(`mobility.notifications.reminders`, run every morning by the "Reminders and deadlines"
schedule): each yields who to remind of what today; the run keys them by rule, subject and day,
so a second run the same day reminds nobody twice. Registered when the app is ready.

What the applicant is asked to add is not modelled here with a date of its own: a file with
missing documents is refused ("incomplete_documents") and submitted again, so there is no
document deadline to remind the family of.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator

from mobility.notifications.reminders import Reminder, reminder_rule

FORWARD_DAYS_AHEAD = 1  # forwarding due today or tomorrow, and every day it is late
CERTIFICATE_EXPIRY_NOTICES = (30, 7)  # days before an unused certificate ends when its holder is told


@reminder_rule("resettlement_forward_due", template="reminder_resettlement_forward")
def applications_to_forward(today: dt.date) -> Iterator[Reminder]:
    """The counsellors of the career centre of origin: submitted applications still to be
    forwarded to the receiving region, due soon (`forward_due_on`) or already late."""
    from mobility.accounts.models import CentreMembership
    from mobility.core.actors import Role
    from mobility.resettlement.models import ApplicationStatus, ResettlementApplication

    due: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # centre → [due, overdue]
    for centre_id, due_on in ResettlementApplication.objects.filter(
        status=ApplicationStatus.SUBMITTED,
        forward_due_on__lte=today + dt.timedelta(days=FORWARD_DAYS_AHEAD),
    ).values_list("centre_id", "forward_due_on"):
        due[centre_id][0 if due_on >= today else 1] += 1
    if not due:
        return
    for membership in CentreMembership.objects.filter(
        centre_id__in=list(due), role=Role.COUNSELLOR
    ).select_related("user"):
        soon, late = due[membership.centre_id]
        yield Reminder(
            person=membership.user,
            subject=f"counsellor:{membership.user_id}:{membership.centre_id}",
            context={"count": soon + late, "overdue": late},
        )


@reminder_rule("resettlement_certificate_expiry", template="reminder_resettlement_certificate_expiry")
def certificates_ending(today: dt.date) -> Iterator[Reminder]:
    """The holder: their certificate, issued and not yet presented, ends in 30 or 7 days. A
    presented, paid, expired or revoked certificate is never reminded of."""
    from mobility.resettlement.models import Certificate, CertificateStatus

    days = [today + dt.timedelta(days=n) for n in CERTIFICATE_EXPIRY_NOTICES]
    for certificate in Certificate.objects.filter(
        status=CertificateStatus.ISSUED, valid_until__in=days
    ).select_related("application__person"):
        yield Reminder(
            person=certificate.application.person,
            subject=f"certificate:{certificate.pk}",
            context={"certificate": certificate, "days": (certificate.valid_until - today).days},
        )
