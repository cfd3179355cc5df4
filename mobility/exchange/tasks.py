"""django-q2 jobs of the labour exchange (they call services; nothing else)."""

from __future__ import annotations

from mobility.exchange import services
from mobility.exchange.models import SavedSearch


def collect_saved_search_hits() -> int:
    """Hourly: store new vacancies matching every saved search that wants alerts."""
    total = 0
    for search in SavedSearch.objects.filter(alerts=True).select_related("profile__region").iterator():
        total += services.saved_search_collect(search=search)
    return total


def close_expired_vacancies() -> int:
    """Daily: close published vacancies whose closing date has passed."""
    return services.vacancies_close_expired()
