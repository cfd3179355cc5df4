"""Writes for documents: upload and removal, each audited in its transaction."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.documents.checks import CheckedFile, check_upload
from mobility.core.documents.models import Document
from mobility.core.documents.storage import document_storage, random_storage_name

logger = logging.getLogger(__name__)


@transaction.atomic
def document_upload(
    *,
    file: Any,
    kind: str,
    owner: User | None,
    by: User | None,
    attached_to: models.Model | None = None,
    name: str | None = None,
) -> Document:
    """Check the upload by its content (`check_upload`, raises ValidationError with nothing
    stored), write it to the documents storage under a random name and record it."""
    checked: CheckedFile = check_upload(file, kind=kind, name=name)
    storage = document_storage()
    stored_name = storage.save(
        random_storage_name(checked.name.rsplit(".", 1)[1]), ContentFile(checked.content)
    )
    try:
        document = Document(
            owner=owner,
            kind=kind,
            original_name=checked.name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            storage_name=stored_name,
            uploaded_by=by,
        )
        if attached_to is not None:
            document.attached_type = ContentType.objects.get_for_model(attached_to)
            document.attached_id = str(attached_to.pk)
        document.full_clean()
        document.save()
        audit_log(
            actor=by,
            action="document.uploaded",
            obj=document,
            data={
                "kind": kind,
                "owner": owner.pk if owner else None,
                "name": checked.name,
                "content_type": checked.content_type,
                "size": checked.size,
                "sha256": checked.sha256,
            },
        )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


def document_files_sweep(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete files of the documents storage that no document record names and that are older
    than `older_than`: what a rolled-back upload (the file is written before its record
    commits) or a crash leaves behind. Returns how many were deleted. Run daily by a task."""
    storage = document_storage()
    cutoff = timezone.now() - older_than
    known = set(Document.objects.values_list("storage_name", flat=True))
    deleted = 0
    for name in _walk(storage, ""):
        if name in known or storage.get_modified_time(name) >= cutoff:
            continue
        storage.delete(name)
        deleted += 1
    if deleted:
        logger.warning("Deleted %d document files that had no record", deleted)
    return deleted


def _walk(storage: Any, folder: str) -> Iterator[str]:
    if folder and not storage.exists(folder):
        return
    folders, names = storage.listdir(folder)
    for name in names:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from _walk(storage, f"{folder}/{sub}" if folder else sub)


@transaction.atomic
def document_remove(*, document: Document, by: User | None, reason: str = "") -> None:
    """Remove the record now and its file once the transaction commits; the audit entry keeps
    what the document was."""
    audit_log(
        actor=by,
        action="document.removed",
        obj=document,
        reason=reason,
        data={
            "kind": document.kind,
            "owner": document.owner_id,
            "name": document.original_name,
            "sha256": document.sha256,
        },
    )
    stored_name = document.storage_name
    document.delete()
    transaction.on_commit(lambda: document_storage().delete(stored_name))
