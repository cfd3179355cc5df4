"""Reminder rules of the labour exchange, on the notifications' one mechanism
(`mobility.notifications.reminders`, run every morning by the "Reminders and deadlines"
schedule). Registered when the app is ready."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.utils import timezone

from mobility.notifications.reminders import Reminder, reminder_rule


@reminder_rule("interview", template="reminder_interview")
def interviews_tomorrow(today: dt.date) -> Iterator[Reminder]:
    """An interview set for tomorrow (Asia/Almaty): the candidate, and the employer's contact (the
    person who last set it, else the vacancy's author). The key carries the interview's revision,
    so an interview moved to another time tomorrow is reminded of again."""
    from mobility.exchange.models import ApplicationStatus, Interview

    tomorrow = today + dt.timedelta(days=1)
    zone = timezone.get_default_timezone()
    start = dt.datetime.combine(tomorrow, dt.time.min, tzinfo=zone)
    interviews = Interview.objects.filter(
        status=Interview.Status.SCHEDULED,
        application__status=ApplicationStatus.INTERVIEW,
        starts_at__gte=start,
        starts_at__lt=start + dt.timedelta(days=1),
    ).select_related("application__seeker__user", "application__vacancy__created_by", "scheduled_by")
    for interview in interviews:
        application = interview.application
        candidate = application.seeker.user
        context = {"interview": interview, "vacancy": application.vacancy}
        yield Reminder(
            person=candidate,
            subject=f"{interview.pk}:r{interview.revision}:{candidate.pk}",
            context={**context, "for_employer": False},
        )
        contact = interview.scheduled_by or application.vacancy.created_by
        if contact is not None and contact.is_active and contact.pk != candidate.pk:
            yield Reminder(
                person=contact,
                subject=f"{interview.pk}:r{interview.revision}:{contact.pk}",
                context={**context, "for_employer": True, "candidate": candidate.get_full_name()},
            )
