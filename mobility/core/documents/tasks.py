"""Scheduled work on documents (django-q2; the schedule is installed by a migration)."""

from __future__ import annotations

from mobility.core.documents.services import document_files_sweep


def sweep_orphaned_document_files() -> int:
    return document_files_sweep()
