"""Query parameters taken at their word: a value the API cannot use is a 400 naming the
parameter, never silently ignored (a client that asked for `housing=maybe` or
`ordering=salary` must not believe it got what it asked for)."""

from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ValidationError
from rest_framework.filters import OrderingFilter
from rest_framework.request import Request

BIGINT = 2**63 - 1


class _StrictBooleanField(forms.Field):
    default_error_messages = {"invalid": gettext_lazy("Use true or false.")}  # noqa: RUF012
    TRUE, FALSE = ("true", "1"), ("false", "0")

    def to_python(self, value: Any) -> bool | None:
        if value in (None, ""):
            return None
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """`true`/`false` (or 1/0); anything else is refused, not read as "no filter"."""

    field_class = _StrictBooleanField


class IdFilter(django_filters.NumberFilter):
    """An object id: a whole number in the database's range."""

    field_class = forms.IntegerField

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", BIGINT)
        super().__init__(*args, **kwargs)


class StrictOrderingFilter(OrderingFilter):
    """`ordering` must name only the fields the operation offers."""

    def get_ordering(self, request: Request, queryset: QuerySet[Any], view: Any) -> Any:
        params = request.query_params.get(self.ordering_param)
        if params is not None:
            fields = [param.strip() for param in params.split(",")]
            valid = self.remove_invalid_fields(queryset, fields, view, request)
            if not fields or len(valid) != len(fields):
                allowed = ", ".join(name for name, _label in self.get_valid_fields(queryset, view))
                raise ValidationError(
                    {self.ordering_param: [_("Order by one of: %(fields)s.") % {"fields": allowed}]}
                )
        return super().get_ordering(request, queryset, view)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        fields = list(getattr(view, "ordering_fields", None) or [])
        for parameter in parameters:
            if parameter["name"] == self.ordering_param and fields:
                parameter["schema"]["enum"] = [p + f for f in fields for p in ("", "-")]
        return parameters


def refuse_empty_parameters(request: Request) -> None:
    """`?updated_since=` is a mistake in the client, not a request for everything."""
    empty = sorted({key for key, values in request.query_params.lists() if "" in values})
    if empty:
        raise ValidationError(
            {key: [_("This parameter is empty: give a value or leave it out.")] for key in empty}
        )
