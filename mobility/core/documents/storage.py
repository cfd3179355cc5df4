"""The storage the documents live in: the "documents" entry of `settings.STORAGES`
(a private folder locally, an S3-compatible bucket in production). Looked up on every call,
so a test's override of STORAGES is seen."""

from __future__ import annotations

import secrets

from django.core.files.storage import Storage, storages


def document_storage() -> Storage:
    return storages["documents"]


def random_storage_name(extension: str) -> str:
    """Never the person's file name: 128 random bits, in 256 folders."""
    token = secrets.token_hex(16)
    return f"{token[:2]}/{token}.{extension}"
