"""django-q2 jobs of the shared kernel (they call services; nothing else)."""

from __future__ import annotations

from mobility.core import outbox


def outbox_deliver(message_id: int) -> str:
    """Render and send one outbox message (queued after its event's transaction commits)."""
    return outbox.outbox_message_deliver(message_id=message_id)


def outbox_deliver_many(message_ids: list[int]) -> dict[str, int]:
    """Render and send a batch of outbox messages (a run that wrote thousands)."""
    return outbox.outbox_messages_deliver(message_ids=message_ids)


def outbox_sweep() -> int:
    """Every few minutes: queue again the messages still waiting (lost tasks, failed attempts)."""
    return len(outbox.outbox_requeue_stale())
