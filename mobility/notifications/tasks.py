"""django-q2 jobs of the notifications app (they call services; nothing else)."""

from __future__ import annotations

from mobility.notifications import alerts, offers, reminders


def match_alerts_instant() -> int:
    """Every 15 minutes: alerts of the people who want them as they appear."""
    return alerts.seeker_alerts_run(frequency="instant")


def match_alerts_daily() -> int:
    """Every morning: the daily digests; and employers' new strong candidates."""
    return alerts.seeker_alerts_run(frequency="daily") + alerts.employer_alerts_run()


def proactive_offers() -> dict[str, int]:
    """Nightly: run every offer rule."""
    return offers.offers_run()


def send_reminders() -> dict[str, int]:
    """Every morning: every reminder rule."""
    return reminders.reminders_run()
