"""Writes for documents: upload and removal, each audited in its transaction."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import models, transaction

from mobility.accounts.models import User
from mobility.core.audit import audit_log
from mobility.core.documents.checks import CheckedFile, check_upload
from mobility.core.documents.models import Document
from mobility.core.documents.storage import document_storage, random_storage_name


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
