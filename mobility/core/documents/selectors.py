"""Reads of documents, always through what the viewer may see."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from mobility.core.documents.access import documents_visible_to
from mobility.core.documents.models import Document


def person_documents(*, viewer: Any, person: Any, kinds: tuple[str, ...] = ()) -> QuerySet[Document]:
    """A person's documents that the viewer may open, newest first."""
    qs = documents_visible_to(viewer).filter(owner=person)
    return qs.filter(kind__in=kinds) if kinds else qs


def current_cv(person: Any) -> Document | None:
    """The CV file a person uploaded last (there is one: uploading another replaces it)."""
    return (
        Document.objects.filter(owner=person, kind=Document.Kind.CV).order_by("-uploaded_at", "-id").first()
    )
