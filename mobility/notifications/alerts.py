"""Match alerts: new vacancies for seekers' saved searches and "Vacancies for me", new strong
candidates for employers' open vacancies.

Only new matches (each vacancy or candidate is announced once), only at or above the threshold
the person set on the score the pages show (`scoring`), at most `daily_limit` alerts a day
(what waits beyond the limit goes in the next day's alert), instantly or as a daily digest.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from mobility.notifications import scoring
from mobility.notifications.models import AlertPreference, CandidateSeen, Consent, MatchAlert
from mobility.notifications.services import alert_preference_of, notify
from mobility.notifications.topics import Topic

logger = logging.getLogger(__name__)

MAX_ITEMS = 10  # vacancies or candidates listed in one alert
STRONG_CANDIDATE = 80  # an employer hears of candidates at or above this score (or their own threshold)


def _start_of_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def alerts_sent_today(person: Any, kind: str, *, now: dt.datetime) -> int:
    return MatchAlert.objects.filter(person=person, kind=kind, created_at__gte=_start_of_day(now)).count()


def _consenting(people: Any) -> Any:
    """Only people who consented to match alerts on at least one channel."""
    return people.filter(
        Exists(Consent.objects.filter(person=OuterRef("pk"), topic=Topic.MATCH_ALERTS, granted=True))
    )


def _frequency_q(frequency: str | None) -> Q | None:
    if frequency is None:
        return None
    if frequency == AlertPreference.Frequency.DAILY:  # no preference saved: the default is daily
        return Q(alert_preference__frequency=frequency) | Q(alert_preference__isnull=True)
    return Q(alert_preference__frequency=frequency)


def seeker_alerts_run(*, frequency: str | None = None, now: dt.datetime | None = None) -> int:
    """Collect and send seekers' alerts (people with the given frequency, or everyone).
    Returns how many alerts went out."""
    from mobility.accounts.models import User
    from mobility.exchange.models import SavedSearch

    now = now or timezone.now()
    people = _consenting(
        User.objects.filter(
            Exists(SavedSearch.objects.filter(profile__user=OuterRef("pk"), alerts=True)), is_active=True
        )
    )
    q = _frequency_q(frequency)
    if q is not None:
        people = people.filter(q)
    sent = 0
    for person in people.order_by("pk").iterator():
        try:
            sent += int(seeker_alert_send(person=person, now=now) is not None)
        except Exception:  # one person's failure must not stop everyone else's alerts
            logger.exception("match alert for person %s failed", person.pk)
    return sent


def seeker_alert_send(*, person: Any, now: dt.datetime | None = None) -> MatchAlert | None:
    """One person's alert: collect new hits of their saved searches, drop those below their
    threshold, and (within the daily limit) send the rest as one alert."""
    from mobility.exchange import services as exchange
    from mobility.exchange.models import SavedSearch, SavedSearchHit

    now = now or timezone.now()
    profile = person.seeker_profile
    for search in SavedSearch.objects.filter(profile=profile, alerts=True).select_related("profile__region"):
        exchange.saved_search_collect(search=search)
    pending = list(
        SavedSearchHit.objects.filter(saved_search__profile=profile, notified_at__isnull=True)
        .select_related("vacancy")
        .order_by("found_at", "id")
    )
    if not pending:
        return None
    pref = alert_preference_of(person)
    scores = scoring.vacancy_scores(profile, limit=100)
    below = [h.pk for h in pending if scores.get(h.vacancy_id, 0) < pref.threshold]
    above: dict[int, int] = {}
    for hit in pending:
        if hit.pk not in below and hit.vacancy_id not in above:
            above[hit.vacancy_id] = scores.get(hit.vacancy_id, 0)
    with transaction.atomic():
        SavedSearchHit.objects.filter(pk__in=below).update(notified_at=now)  # never worth an alert
        if not above or alerts_sent_today(person, MatchAlert.Kind.VACANCIES, now=now) >= pref.daily_limit:
            return None
        chosen = sorted(above.items(), key=lambda kv: -kv[1])[:MAX_ITEMS]
        ids = [vid for vid, _score in chosen]
        alert = MatchAlert.objects.create(
            person=person,
            kind=MatchAlert.Kind.VACANCIES,
            items=[{"vacancy": vid, "score": score} for vid, score in chosen],
            created_at=now,
        )
        SavedSearchHit.objects.filter(
            saved_search__profile=profile, vacancy_id__in=ids, notified_at__isnull=True
        ).update(notified_at=now)
        from mobility.exchange.models import Vacancy

        vacancies = Vacancy.objects.in_bulk(ids)
        notify(
            person=person,
            topic=Topic.MATCH_ALERTS,
            template="match_alert",
            context={
                "items": [
                    {"vacancy": vacancies[vid], "score": score} for vid, score in chosen if vid in vacancies
                ]
            },
            key=f"match_alert:{alert.pk}",
        )
    return alert


def employer_alerts_run(*, now: dt.datetime | None = None) -> int:
    """New strong candidates for each consenting employer representative's open vacancies."""
    from mobility.accounts.models import User

    now = now or timezone.now()
    people = _consenting(
        User.objects.filter(organisation_memberships__isnull=False, is_active=True)
    ).distinct()
    sent = 0
    scored: dict[int, dict[int, int]] = {}
    for person in people.order_by("pk").iterator():
        try:
            sent += int(employer_alert_send(person=person, now=now, scored=scored) is not None)
        except Exception:
            logger.exception("candidate alert for person %s failed", person.pk)
    return sent


def employer_alert_send(
    *, person: Any, now: dt.datetime | None = None, scored: dict[int, dict[int, int]] | None = None
) -> MatchAlert | None:
    from mobility.exchange.models import Vacancy
    from mobility.exchange.selectors import vacancies_open_to_candidates

    now = now or timezone.now()
    scored = {} if scored is None else scored
    pref = alert_preference_of(person)
    floor = max(pref.threshold, STRONG_CANDIDATE)
    vacancies = list(
        vacancies_open_to_candidates(person).filter(status=Vacancy.Status.PUBLISHED).order_by("id")
    )
    found: list[tuple[Any, int, int]] = []
    for vacancy in vacancies:
        if vacancy.pk not in scored:
            scored[vacancy.pk] = scoring.candidate_scores(vacancy)
        seen = set(CandidateSeen.objects.filter(vacancy=vacancy).values_list("profile_id", flat=True))
        found += [
            (vacancy, pid, s) for pid, s in scored[vacancy.pk].items() if s >= floor and pid not in seen
        ]
    if not found or alerts_sent_today(person, MatchAlert.Kind.CANDIDATES, now=now) >= pref.daily_limit:
        return None
    found.sort(key=lambda x: -x[2])
    chosen = found[:MAX_ITEMS]
    with transaction.atomic():
        CandidateSeen.objects.bulk_create(
            [CandidateSeen(vacancy=v, profile_id=pid, score=s, created_at=now) for v, pid, s in chosen],
            ignore_conflicts=True,
        )
        alert = MatchAlert.objects.create(
            person=person,
            kind=MatchAlert.Kind.CANDIDATES,
            items=[{"vacancy": v.pk, "profile": pid, "score": s} for v, pid, s in chosen],
            created_at=now,
        )
        counts: dict[int, int] = {}
        for v, _pid, _s in chosen:
            counts[v.pk] = counts.get(v.pk, 0) + 1
        by_id = {v.pk: v for v, _p, _s in chosen}
        notify(
            person=person,
            topic=Topic.MATCH_ALERTS,
            template="candidate_alert",
            context={"items": [{"vacancy": by_id[vid], "count": n} for vid, n in counts.items()]},
            key=f"candidate_alert:{alert.pk}",
        )
    return alert
