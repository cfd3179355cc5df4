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
