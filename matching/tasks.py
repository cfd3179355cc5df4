"""django-q2 jobs of the matcher (they call services; nothing else)."""

from __future__ import annotations

from typing import Any

from matching import services


def rebuild_index() -> dict[str, Any]:
    """Nightly (and after a taxonomy import): rebuild and publish the whole index."""
    return services.index_rebuild()
