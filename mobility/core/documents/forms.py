"""Form fields for uploaded documents: the same check as the services (`check_upload`), so
the person sees the message beside the field."""

from __future__ import annotations

from typing import Any

from django import forms

from mobility.core.documents.checks import ALLOWED_TYPES, check_upload


def _accept(kind: str) -> str:
    return ",".join(f".{ext}" for file_type in ALLOWED_TYPES[kind] for ext in file_type.extensions)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentField(forms.FileField):
    """One file of a given document kind."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        self.kind = kind
        kwargs.setdefault("widget", forms.FileInput(attrs={"accept": _accept(kind)}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        file = super().clean(data, initial)
        if file and file is not initial:
            check_upload(file, kind=self.kind)
        return file


class DocumentsField(DocumentField):
    """Several files of one kind in one input; cleans to a list (empty when none)."""

    def __init__(self, *, kind: str, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": _accept(kind)}))
        super().__init__(kind=kind, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            super().clean(None, initial)  # the "required" message, when required
            return []
        return [DocumentField.clean(self, f, initial) for f in files]
