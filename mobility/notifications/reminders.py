"""Reminders and deadlines: a registry of rules, each yielding who to remind of what today.

A rule registered with `@reminder_rule(code, template=…)` yields `Reminder`s for a date; the
run writes each through `notify` with the key `reminder:<code>:<subject>:<date>`, so running
twice a day reminds once. Rules for the data that exists today: plan steps coming due (the
seeker), open requests from employers past their deadline (the region's staff), vacancies about
to close (the employer). Other apps add theirs (interview dates, document deadlines, certificate
expiry) the same way.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from mobility.notifications.services import notify
from mobility.notifications.topics import Topic

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Reminder:
    person: Any
    subject: str  # what it is about, for the key: "step:12"
    context: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ReminderRule:
    code: str
    template: str
    find: Callable[[dt.date], Iterable[Reminder]]


REMINDER_RULES: dict[str, ReminderRule] = {}


def reminder_rule(code: str, *, template: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(find: Callable[[dt.date], Iterable[Reminder]]) -> Callable[..., Any]:
        REMINDER_RULES[code] = ReminderRule(code=code, template=template, find=find)
        return find

    return register


def reminders_run(*, today: dt.date | None = None, rules: Iterable[str] | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    written: dict[str, int] = {}
    for code in rules or list(REMINDER_RULES):
        rule = REMINDER_RULES[code]
        count = 0
        for reminder in rule.find(today):
            try:
                notify(
                    person=reminder.person,
                    topic=Topic.REMINDERS,
                    template=rule.template,
                    context={**reminder.context, "today": today},
                    key=f"reminder:{code}:{reminder.subject}:{today.isoformat()}",
                )
                count += 1
            except Exception:
                logger.exception("reminder %s for %s failed", code, reminder.subject)
        written[code] = count
    return written


PLAN_STEP_DAYS_AHEAD = 2
VACANCY_CLOSING_DAYS_AHEAD = 3


@reminder_rule("plan_step", template="reminder_plan_step")
def plan_steps_due(today: dt.date) -> Iterator[Reminder]:
    """A seeker's own plan step that is due today or within PLAN_STEP_DAYS_AHEAD days."""
    from mobility.cases.models import PlanStep

    steps = PlanStep.objects.filter(
        owner=PlanStep.Owner.SEEKER,
        status=PlanStep.Status.PLANNED,
        due_on__gte=today,
        due_on__lte=today + dt.timedelta(days=PLAN_STEP_DAYS_AHEAD),
    ).select_related("plan__case__person")
    for step in steps:
        yield Reminder(person=step.plan.case.person, subject=f"step:{step.pk}", context={"step": step})


@reminder_rule("overdue_requests", template="reminder_overdue_requests")
def overdue_requests(today: dt.date) -> Iterator[Reminder]:
    """Staff of a region: requests from employers still open after their deadline."""
    from mobility.accounts.models import CentreMembership
    from mobility.core.actors import EXCHANGE_STAFF_ROLES
    from mobility.employer.models import CentreRequest

    open_statuses = [CentreRequest.Status.SUBMITTED, CentreRequest.Status.IN_PROGRESS]
    overdue: dict[int, int] = defaultdict(int)
    for region_id in CentreRequest.objects.filter(status__in=open_statuses, deadline__lt=today).values_list(
        "region_id", flat=True
    ):
        overdue[region_id] += 1
    if not overdue:
        return
    staff: dict[Any, int] = defaultdict(int)
    for membership in CentreMembership.objects.filter(
        centre__region_id__in=list(overdue), role__in=list(EXCHANGE_STAFF_ROLES)
    ).select_related("user", "centre"):
        staff[membership.user] = max(staff[membership.user], overdue[membership.centre.region_id])
    for person, count in staff.items():
        yield Reminder(person=person, subject=f"staff:{person.pk}", context={"count": count})


@reminder_rule("vacancy_closing", template="reminder_vacancy_closing")
def vacancies_closing(today: dt.date) -> Iterator[Reminder]:
    """An employer's published vacancy closes within VACANCY_CLOSING_DAYS_AHEAD days: extend or
    close it, and answer its applicants."""
    from mobility.accounts.models import OrganisationMembership
    from mobility.exchange.models import Vacancy

    closing = Vacancy.objects.filter(
        status=Vacancy.Status.PUBLISHED,
        expires_on__gte=today,
        expires_on__lte=today + dt.timedelta(days=VACANCY_CLOSING_DAYS_AHEAD),
    )
    members = defaultdict(list)
    for m in OrganisationMembership.objects.filter(
        organisation_id__in=closing.values("organisation_id")
    ).select_related("user"):
        members[m.organisation_id].append(m.user)
    for vacancy in closing:
        for person in members[vacancy.organisation_id]:
            yield Reminder(
                person=person, subject=f"vacancy:{vacancy.pk}:{person.pk}", context={"vacancy": vacancy}
            )
