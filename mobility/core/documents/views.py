"""Download of a document: only through the permission check, always as an attachment."""

from __future__ import annotations

import logging
import uuid

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from mobility.core.documents.access import get_document_for_user
from mobility.core.documents.storage import document_storage
from mobility.core.privacy.models import PersonalDataView
from mobility.core.privacy.services import personal_data_view_log

logger = logging.getLogger(__name__)


@require_GET
def document_download(request: HttpRequest, public_id: uuid.UUID) -> FileResponse:
    document = get_document_for_user(request.user, public_id)
    if document.owner_id is not None and document.owner_id != request.user.pk:
        personal_data_view_log(
            viewer=request.user, person=document.owner, record=PersonalDataView.Record.DOCUMENT, obj=document
        )
    try:
        file = document_storage().open(document.storage_name, "rb")
    except FileNotFoundError:
        # The record outlived its file (a restore from an older backup): nothing to hand out.
        logger.error("Document %s has no file in the storage", document.public_id)
        raise Http404 from None
    response = FileResponse(
        file,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
