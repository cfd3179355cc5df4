"""A seeker's CV file (PDF or DOCX): one per person; a new upload replaces the old one."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from mobility.accounts.models import User
from mobility.core.documents.models import Document
from mobility.core.documents.services import document_remove, document_upload
from mobility.exchange.models import SeekerProfile


@transaction.atomic
def profile_cv_upload(*, profile: SeekerProfile, file: Any, by: User) -> Document:
    """Check and keep the new CV file, then remove the ones it replaces (nothing changes when
    the upload is refused)."""
    previous = list(Document.objects.filter(owner_id=profile.user_id, kind=Document.Kind.CV))
    document = document_upload(
        file=file, kind=Document.Kind.CV, owner=profile.user, by=by, attached_to=profile
    )
    for old in previous:
        document_remove(document=old, by=by)
    return document


@transaction.atomic
def profile_cv_remove(*, profile: SeekerProfile, by: User) -> int:
    """Remove the person's CV file; returns how many were removed (0 when there was none)."""
    documents = list(Document.objects.filter(owner_id=profile.user_id, kind=Document.Kind.CV))
    for document in documents:
        document_remove(document=document, by=by)
    return len(documents)
