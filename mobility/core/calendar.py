"""Working days in Kazakhstan: the one place that counts them.

Monday to Friday are working days and Saturday and Sunday are not, except for the dates in the
holiday table (`reference.CalendarDay`): public holidays, days off moved by law or by a
government transfer, and weekend days a transfer makes working. Every deadline counted in
working days goes through these functions.

Each call reads the exceptional dates of the span it needs in one indexed query (the date is
unique), so an edit in the admin counts at once in every process, with no cache to invalidate.
Deadlines are computed rarely (a request, a sign-up); one small query is cheaper than keeping
processes in step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mobility.reference.models import CalendarDay

_WEEKEND = (5, 6)


def _exceptions(first: dt.date, last: dt.date) -> dict[dt.date, bool]:
    """Dates in [first, last] whose working status differs from the week's rule."""
    rows = CalendarDay.objects.filter(date__range=(first, last)).values_list("date", "kind")
    return {day: kind == CalendarDay.Kind.TRANSFER_WORKING for day, kind in rows}


def _working(day: dt.date, exceptions: dict[dt.date, bool]) -> bool:
    if day in exceptions:
        return exceptions[day]
    return day.weekday() not in _WEEKEND


def is_working_day(day: dt.date) -> bool:
    return _working(day, _exceptions(day, day))


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The date `days` working days after `start` (`start` itself is not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    while days > 0:
        # Long enough for `days` working days and the longest run of holidays (about two weeks).
        last = current + dt.timedelta(days=days * 2 + 14)
        exceptions = _exceptions(current + dt.timedelta(days=1), last)
        while days > 0 and current < last:
            current += dt.timedelta(days=1)
            if _working(current, exceptions):
                days -= 1
    return current


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after `start` up to and including `end` (negative when `end` is earlier).

    `working_days_between(d, add_working_days(d, n)) == n`.
    """
    if end < start:
        return -working_days_between(end, start)
    exceptions = _exceptions(start + dt.timedelta(days=1), end)
    return sum(
        _working(start + dt.timedelta(days=offset), exceptions) for offset in range(1, (end - start).days + 1)
    )


def days_off(days: Iterable[dt.date]) -> dict[dt.date, CalendarDay | None]:
    """Which of these dates are not working days, with the holiday row when there is one
    (None for an ordinary weekend day). One query."""
    wanted = set(days)
    if not wanted:
        return {}
    rows = {row.date: row for row in CalendarDay.objects.filter(date__in=wanted)}
    return {
        day: rows.get(day)
        for day in sorted(wanted)
        if not (rows[day].is_working if day in rows else day.weekday() not in _WEEKEND)
    }


def day_off_warnings(days: Iterable[dt.date]) -> dict[dt.date, str]:
    """A sentence for each date that is not a working day, e.g. for a deadline someone typed:
    a warning, never a refusal (the date is theirs to keep)."""
    warnings = {}
    for day, row in days_off(days).items():
        params = {"date": date_format(day, "SHORT_DATE_FORMAT"), "name": row.name if row else ""}
        warnings[day] = (
            _("%(date)s is not a working day: %(name)s.") % params
            if row
            else _("%(date)s falls on a weekend.") % params
        )
    return warnings
