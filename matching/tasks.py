"""django-q2 jobs of the matcher (they call services; nothing else)."""

from __future__ import annotations

from typing import Any

from matching import services


def rebuild_index() -> dict[str, Any]:
    """Nightly, after a taxonomy import and after a label edit: rebuild and publish the index."""
    return services.index_rebuild()


def fit_weights() -> dict[str, Any]:
    """Weekly: fit the component weights on the feedback; adopted only when they do better."""
    return services.weights_fit()


def coverage_snapshot() -> int:
    """Nightly: match coverage by region, occupation group and language for the staff dashboard."""
    return services.coverage_compute().pk
