"""The nightly retention run (scheduled in `mobility/core/schedules.py`)."""

from __future__ import annotations

import logging

from mobility.core.privacy.services import retention_run

logger = logging.getLogger(__name__)


def pseudonymise_past_retention() -> str:
    """Pseudonymise people past the retention period; the report is the task's result (shown on
    the background-work page) and goes to the log."""
    report = retention_run()
    rows = ", ".join(f"{name}: {count}" for name, count in sorted(report.rows.items())) or "none"
    summary = (
        f"{report.people} people pseudonymised; audit entries rewritten: {report.audit_rows}; rows: {rows}"
    )
    logger.info("retention: %s", summary)
    return summary
