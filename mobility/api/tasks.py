"""django-q2 jobs of the API app (they call services; nothing else)."""

from __future__ import annotations

from mobility.api import services, webhooks


def fan_out_webhooks() -> int:
    """Every minute: new events become deliveries; lost retries are picked up."""
    created = webhooks.webhooks_fan_out()
    webhooks.webhooks_deliver_due()
    return len(created)


def deliver_webhook(delivery_id: int) -> None:
    webhooks.webhook_deliver(delivery_id=delivery_id)


def prune_idempotency_records() -> int:
    """Daily: answers older than a day are forgotten (clients retry within minutes)."""
    return services.idempotency_prune()
