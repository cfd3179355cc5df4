"""django-q2 jobs of the foreign-specialist workflow (registered in `mobility.core.schedules`);
they call services and nothing else. Deadlines going overdue, reports due from employers and
cards about to end are reminder rules (`migration.reminders`) run by the daily reminders job."""

from __future__ import annotations

from migration.services.cards import cards_void_on_citizenship_sweep


def void_cards_on_citizenship() -> int:
    """Daily: cards of schemes void on citizenship, held by people recorded as citizens."""
    return cards_void_on_citizenship_sweep()
