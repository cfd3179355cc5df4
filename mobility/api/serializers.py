"""The base of every write's input: a field the operation cannot set is refused by name.

A client that sends `PATCH {"status": "closed"}` to an operation without a `status` field
must hear so (400, the field named), not get a 200 that changed nothing. Read-only fields of
the output (`id`, `created_at`, …) are unknown to the input, so they are refused the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from mobility.core.identifiers import IIN_MASK_HELP, PASSPORT_MASK_HELP, mask_iin, mask_passport

MAX_NAME, MAX_REPORTED = 100, 20  # an unknown key is named, cut short; at most 20 of them


class StrictSerializer(serializers.Serializer):
    """Refuses keys it has no writable field for (declared in the schema as
    `additionalProperties: false`)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            writable = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(str(key)[:MAX_NAME] for key in data if key not in writable)[:MAX_REPORTED]
            if unknown:
                raise serializers.ValidationError(
                    {key: [_("This operation cannot set this field.")] for key in unknown},
                    code="unknown_field",
                )
        return super().to_internal_value(data)


class MaskedIinField(serializers.CharField):
    """An IIN as every list shows it (`mobility.core.identifiers.mask_iin`); the schema says
    exactly what the masked value keeps."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", IIN_MASK_HELP)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return mask_iin(value)


class MaskedPassportField(serializers.CharField):
    """A passport number as every list shows it (`mask_passport`)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("help_text", PASSPORT_MASK_HELP)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> str:
        return mask_passport(value)
