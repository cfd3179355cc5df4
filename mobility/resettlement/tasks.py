"""django-q2 jobs of resettlement (they call services; nothing else)."""

from __future__ import annotations

from mobility.resettlement import services


def expire_certificates() -> int:
    """Daily: certificates issued and not presented by their validity date expire; the budget gets
    the commitment back and the family is told."""
    return len(services.certificates_expire_due())
