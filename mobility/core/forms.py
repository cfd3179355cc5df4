"""Form helpers shared by every surface: the project's form rendering, its date input and the
mapping of a refused save (a service's ValidationError, a database constraint) onto the fields.

Every page gets these for free: ``{{ form }}`` and ``{% include "includes/field.html" %}`` render
through ``FormRenderer`` (settings.FORM_RENDERER), and a ``forms.DateInput`` anywhere shows an ISO
value because the Kazakh and Russian format modules list ISO first (see docs/ui.md).
"""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.renderers import TemplatesSetting
from django.utils.translation import gettext_lazy as _

from mobility.core.identifiers import validate_iin

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class FormRenderer(TemplatesSetting):
    """Django's form rendering through the project's templates: one field template
    (label beside checkboxes, fieldsets for groups, help and errors wired to aria-describedby)."""

    form_template_name = "includes/form.html"
    field_template_name = "includes/field.html"


class DateInput(forms.DateInput):
    """A browser date picker. ``<input type="date">`` only understands ISO values (2024-08-19):
    the Kazakh or Russian display format (19.08.2024) makes the browser show an empty field, and
    saving it erases the date."""

    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    """A browser date-and-time picker. ``<input type="datetime-local">`` only understands
    ``2026-12-05T10:30``: the Kazakh or Russian display format (05.12.2026 10:30) shows an empty
    field, and saving it erases the time. The value is shown in the current time zone (Asia/Almaty);
    ``forms.DateTimeField`` reads the ISO value back as an aware datetime in that zone."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None, format: str | None = None) -> None:
        super().__init__(attrs, format=format or ISO_DATETIME_LOCAL)


class IinField(forms.CharField):
    """An IIN as people type it: the spaces or dashes between groups ("950517 400 321") are dropped,
    and a wrong IIN gets one message saying what is wrong (validate_iin), not a length message
    beside it. The input is not cut at 12 characters, so a spaced IIN is not truncated."""

    default_validators = [validate_iin]

    def __init__(self, *, attrs: dict[str, str] | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("IIN"))
        widget_attrs = {"inputmode": "numeric", "autocomplete": "off", "maxlength": "20", **(attrs or {})}
        kwargs.setdefault("widget", forms.TextInput(attrs=widget_attrs))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return re.sub(r"[\s\-]", "", super().to_python(value) or "")


def apply_errors(form: Any, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form's fields (or on the whole form), so the
    person sees the message next to what they typed."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ConstraintMessagesMixin:
    """A ModelForm whose model's check constraints name the field they are about.

    Django validates a model's constraints before saving and reports a violated
    ``CheckConstraint`` as "Constraint “name” is violated." above the whole form: in a formset
    nobody sees it, and the person does not know which value to change. A form lists
    ``constraint_messages = {"constraint_name": ("field", message)}`` and the violation is shown
    beside that field, in the person's language, with what they typed kept.
    """

    constraint_messages: dict[str, tuple[str, Any]] = {}

    def _post_clean(self) -> None:
        super()._post_clean()  # type: ignore[misc]
        errors = self._errors  # type: ignore[attr-defined]
        if not self.constraint_messages or not errors or NON_FIELD_ERRORS not in errors:
            return
        # Django reports a violated constraint by its message alone: recognise it by that message.
        constraints = {
            c.get_violation_error_message(): c.name
            for c in self._meta.model._meta.constraints  # type: ignore[attr-defined]
            if c.name in self.constraint_messages
        }
        kept = []
        for error in errors[NON_FIELD_ERRORS].as_data():
            name = constraints.get(" ".join(error.messages))
            if name is not None:
                field, message = self.constraint_messages[name]
                self.add_error(field, ValidationError(message, code=name))  # type: ignore[attr-defined]
            else:
                kept.append(error)
        if kept:
            errors[NON_FIELD_ERRORS] = self.error_class(kept, error_class="nonfield")  # type: ignore[attr-defined]
        else:
            del errors[NON_FIELD_ERRORS]
