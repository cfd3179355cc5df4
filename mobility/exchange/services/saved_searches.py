"""Saved searches and their hits."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mobility.core.workflow import SYSTEM
from mobility.exchange.models import (
    SavedSearch,
    SeekerProfile,
    Vacancy,
)

from .vacancies import vacancy_set_status


@transaction.atomic
def saved_search_create(
    *, profile: SeekerProfile, name: str, kind: str, params: dict[str, Any]
) -> SavedSearch:
    search = SavedSearch(profile=profile, name=name.strip() or _("My search"), kind=kind, params=params)
    search.full_clean()
    search.save()
    return search


@transaction.atomic
def saved_search_mark_seen(*, search: SavedSearch) -> None:
    search.hits.filter(notified_at__isnull=True).update(notified_at=timezone.now())


def saved_search_collect(*, search: SavedSearch) -> int:
    """Store the vacancies published since the last check that match a saved search.

    Sending them (email, SMS) is the notifications feature's job; this keeps the list.
    """
    from mobility.exchange import selectors
    from mobility.exchange.models import SavedSearchHit

    since = search.last_checked_at or search.created_at
    now = timezone.now()
    if search.kind == SavedSearch.Kind.FOR_ME:
        vacancy_ids = [r.vacancy.id for r in selectors.vacancies_for_me(search.profile, limit=50)]
    else:
        p = search.params
        params = selectors.SearchParams(
            q=p.get("q", ""),
            region=p.get("region", ""),
            schedule=p.get("schedule", ""),
            salary_min=int(p["salary_min"]) if str(p.get("salary_min", "")).isdigit() else None,
            housing=bool(p.get("housing")),
        )
        vacancy_ids = selectors.vacancy_search_ids(params, limit=200)
    fresh = set(
        Vacancy.objects.filter(id__in=vacancy_ids, published_at__gt=since).values_list("id", flat=True)
    )
    fresh -= set(search.hits.values_list("vacancy_id", flat=True))
    with transaction.atomic():
        SavedSearchHit.objects.bulk_create(
            [SavedSearchHit(saved_search=search, vacancy_id=vid) for vid in sorted(fresh)],
            ignore_conflicts=True,
        )
        SavedSearch.objects.filter(pk=search.pk).update(last_checked_at=now)
    search.last_checked_at = now
    return len(fresh)


def vacancies_close_expired() -> int:
    """Close every published or paused vacancy whose closing date is in the past."""
    expired = Vacancy.objects.filter(
        status__in=[Vacancy.Status.PUBLISHED, Vacancy.Status.PAUSED], expires_on__lt=timezone.localdate()
    )
    count = 0
    for vacancy in expired.iterator():
        vacancy_set_status(
            vacancy=vacancy, status=Vacancy.Status.CLOSED, by=None, side=SYSTEM, reason="expired"
        )
        count += 1
    return count
