"""Writes of reference data: the holiday table and the publication of dated rules."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import holidays
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.core.audit import audit_log
from mobility.reference.models import (
    DRAFT,
    PUBLISHED,
    CalendarDay,
    DatedRule,
    MrpRate,
    ProgrammeRule,
    ReceivingSettlement,
    ReceptionQuota,
)

# The package names Kazakhstan's holidays in Kazakh and English only; these are the Russian names.
RUSSIAN_NAMES = {
    "New Year's Day": "Новый год",
    "Orthodox Christmas": "Православное Рождество",
    "International Women's Day": "Международный женский день",
    "Nowruz Holiday": "Наурыз мейрамы",
    "Kazakhstan's People Solidarity Holiday": "Праздник единства народа Казахстана",
    "Defender of the Fatherland Day": "День защитника Отечества",
    "Victory Day": "День Победы",
    "Capital Day": "День Столицы",
    "Constitution Day": "День Конституции Республики Казахстан",
    "Republic Day": "День Республики",
    "First President Day": "День Первого Президента Республики Казахстан",
    "Independence Day": "День Независимости",
    "Eid al-Adha": "Курбан айт",
}
RUSSIAN_TAGS = {
    "observed": "перенесённый выходной",
    "estimated": "предварительно",
    "observed, estimated": "перенесённый выходной, предварительно",
}
SUBSTITUTED = re.compile(r"Day off \(substituted from (?P<date>[^)]+)\)")
TAGGED = re.compile(r"(?P<base>.*?)(?: \((?P<tag>observed|estimated|observed, estimated)\))?")
WORKING_DAY_NAMES = {
    "kk": "Жұмыс күні (демалыс күні ауыстырылды)",
    "ru": "Рабочий день (перенос выходного дня)",
    "en": "Working day (a day off moved by the government)",
}


def _russian(english: str) -> str:
    parts = []
    for part in english.split("; "):
        substituted = SUBSTITUTED.fullmatch(part)
        if substituted:
            parts.append(f"Перенесённый выходной день (с {substituted['date']})")
            continue
        match = TAGGED.fullmatch(part)
        base, tag = (match["base"], match["tag"]) if match else (part, None)
        name = RUSSIAN_NAMES.get(base, base)
        parts.append(f"{name} ({RUSSIAN_TAGS[tag]})" if tag else name)
    return "; ".join(parts)


@dataclass(frozen=True)
class PackageDay:
    date: dt.date
    kind: str
    name_kk: str
    name_ru: str
    name_en: str


def package_days(years: Iterable[int]) -> list[PackageDay]:
    """Kazakhstan's days off and transferred working days as the `holidays` package knows them."""
    years = list(years)
    english = holidays.country_holidays("KZ", years=years, language="en_US")
    kazakh = holidays.country_holidays("KZ", years=years, language="kk")
    without_observed = holidays.country_holidays("KZ", years=years, observed=False)
    days = []
    for day in sorted(english):
        name_en = english[day]
        if SUBSTITUTED.search(name_en):
            kind = CalendarDay.Kind.TRANSFER_OFF
        elif day not in without_observed:
            kind = CalendarDay.Kind.OBSERVED
        elif name_en.startswith("Eid al-Adha"):
            kind = CalendarDay.Kind.RELIGIOUS
        else:
            kind = CalendarDay.Kind.HOLIDAY
        days.append(PackageDay(day, kind, kazakh[day], _russian(name_en), name_en))
    for day in sorted(english.weekend_workdays):
        if day.year in years:
            days.append(
                PackageDay(
                    day,
                    CalendarDay.Kind.TRANSFER_WORKING,
                    WORKING_DAY_NAMES["kk"],
                    WORKING_DAY_NAMES["ru"],
                    WORKING_DAY_NAMES["en"],
                )
            )
    return days


@transaction.atomic
def calendar_days_load(*, years: Iterable[int], by: Any = None) -> dict[str, int]:
    """Bring the package's days of these years into the table. Idempotent; rows staff have
    confirmed or edited are never touched, and package rows the package no longer lists (an
    estimated Kurban Ait date corrected in a newer release) are removed."""
    years = sorted(set(years))
    counts = {"created": 0, "updated": 0, "kept": 0, "removed": 0}
    fields = ("kind", "name_kk", "name_ru", "name_en")
    existing = {row.date: row for row in CalendarDay.objects.select_for_update().filter(date__year__in=years)}
    listed = set()
    for item in package_days(years):
        listed.add(item.date)
        row = existing.get(item.date)
        if row is not None and (row.confirmed or row.source == CalendarDay.Source.STAFF):
            counts["kept"] += 1
            continue
        if row is None:
            row = CalendarDay(date=item.date, source=CalendarDay.Source.PACKAGE)
            action, count = "calendar_day.created", "created"
        elif all(getattr(row, f) == getattr(item, f) for f in fields):
            continue
        else:
            action, count = "calendar_day.updated", "updated"
        for f in fields:
            setattr(row, f, getattr(item, f))
        row.full_clean()
        row.save()
        audit_log(actor=by, action=action, obj=row, to_state=row.kind, data={"source": "holidays package"})
        counts[count] += 1
    for row in existing.values():
        if row.date not in listed and row.source == CalendarDay.Source.PACKAGE and not row.confirmed:
            audit_log(actor=by, action="calendar_day.removed", obj=row, from_state=row.kind)
            row.delete()
            counts["removed"] += 1
    return counts


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, by: Any) -> CalendarDay:
    """Staff add or edit a day: it becomes theirs (the loader leaves it alone from then on);
    ticking "confirmed" records who checked it against the decree, and when."""
    previous = CalendarDay.objects.filter(pk=day.pk).first() if day.pk else None
    day.source = CalendarDay.Source.STAFF
    if day.confirmed and not (previous and previous.confirmed):
        day.confirmed_by, day.confirmed_at = by, timezone.now()
    elif not day.confirmed:
        day.confirmed_by, day.confirmed_at = None, None
    day.full_clean()
    day.save()
    audit_log(
        actor=by,
        action="calendar_day.updated" if previous else "calendar_day.created",
        obj=day,
        from_state=previous.kind if previous else "",
        to_state=day.kind,
        data={"date": day.date.isoformat(), "confirmed": day.confirmed},
    )
    return day


@transaction.atomic
def calendar_day_confirm(*, day: CalendarDay, by: Any) -> CalendarDay:
    """Staff checked the day against this year's government decree."""
    day = CalendarDay.objects.select_for_update().get(pk=day.pk)
    if day.confirmed:
        return day
    day.confirmed, day.confirmed_by, day.confirmed_at = True, by, timezone.now()
    day.full_clean()
    day.save()
    audit_log(actor=by, action="calendar_day.confirmed", obj=day, to_state=day.kind)
    return day


# --- Dated rules -----------------------------------------------------------------------------------


# Other apps' dated-rule tables (each a subclass of DatedRule) join the one publication here, with
# what must happen before a row of theirs is published: close the period it supersedes, refuse a
# clash (raising ValidationError). Registered from the app's `ready()`.
_PUBLISHABLE: dict[type[DatedRule], Callable[[Any, Any], None]] = {}


def dated_rule_register(model: type[DatedRule], *, before_publish: Callable[[Any, Any], None]) -> None:
    """Make `rule_publish` publish the drafts of `model` too; `before_publish(row, by)` runs on the
    locked draft row before it is marked published."""
    _PUBLISHABLE[model] = before_publish


@transaction.atomic
def rule_publish(*, version: str, by: Any) -> int:
    """Publish every draft row of a version: from then on they are the rules in force.

    A programme rule supersedes the open-ended published period of its code, which is closed
    the day before the new one starts (answers for earlier dates do not change); any other
    overlap, and a year or quota that already has a published row, is refused. Returns the number
    of rows published.
    """
    now = timezone.now()
    published = 0
    models: tuple[type[DatedRule], ...] = (
        MrpRate,
        ReceptionQuota,
        ReceivingSettlement,
        ProgrammeRule,
        *_PUBLISHABLE,
    )
    for model in models:
        for row in model._default_manager.select_for_update().filter(DRAFT, version=version).order_by("pk"):
            if isinstance(row, ProgrammeRule):
                _supersede(row, by=by)
            elif isinstance(row, MrpRate | ReceptionQuota | ReceivingSettlement):
                _refuse_a_second_published_row(row)
            else:
                _PUBLISHABLE[model](row, by)
            row.status, row.published_at, row.published_by = DatedRule.Status.PUBLISHED, now, by
            row.full_clean()
            row.save()
            audit_log(
                actor=by,
                action="rule.published",
                obj=row,
                from_state=DatedRule.Status.DRAFT,
                to_state=DatedRule.Status.PUBLISHED,
                data={"version": version, "rule": str(row)},
            )
            published += 1
    if not published:
        raise ValidationError(
            {"version": _("There is no draft under the version %(version)s.") % {"version": version}}
        )
    return published


def _supersede(rule: ProgrammeRule, *, by: Any) -> None:
    current = (
        ProgrammeRule.objects.select_for_update()
        .filter(PUBLISHED, code=rule.code, valid_from__lt=rule.valid_from, valid_to__isnull=True)
        .first()
    )
    if current is None or rule.valid_to is not None:
        return  # nothing open-ended to close; full_clean refuses any other overlap
    current.valid_to = rule.valid_from - dt.timedelta(days=1)
    current.full_clean()
    current.save()
    audit_log(
        actor=by,
        action="rule.superseded",
        obj=current,
        data={"valid_to": current.valid_to.isoformat(), "by_version": rule.version},
    )


def _refuse_a_second_published_row(row: MrpRate | ReceptionQuota | ReceivingSettlement) -> None:
    if isinstance(row, MrpRate):
        clash = MrpRate.objects.filter(PUBLISHED, year=row.year).exists()
    elif isinstance(row, ReceivingSettlement):
        clash = ReceivingSettlement.objects.filter(
            PUBLISHED, year=row.year, region_id=row.region_id, name_ru=row.name_ru
        ).exists()
    else:
        clash = ReceptionQuota.objects.filter(
            PUBLISHED, year=row.year, region_id=row.region_id, category=row.category
        ).exists()
    if clash:
        raise ValidationError(
            {
                "version": _(
                    "%(rule)s already has a published row for %(year)s; published rules are not changed."
                )
                % {"rule": row._meta.verbose_name, "year": row.year}
            }
        )
