"""django-q2 jobs of the shared kernel (they call services; nothing else)."""

from __future__ import annotations

from mobility.core import outbox


def outbox_deliver(message_id: int) -> str:
    """Render and send one outbox message (queued after its event's transaction commits)."""
    return outbox.outbox_message_deliver(message_id=message_id)


def outbox_sweep() -> int:
    """Every few minutes: queue again the messages still waiting (lost tasks, failed attempts)."""
    return len(outbox.outbox_requeue_stale())
