"""Query parameters taken at their word: a value the API cannot use is a 400 naming the
parameter, never silently ignored (a client that asked for `housing=maybe` or
`ordering=salary` must not believe it got what it asked for)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
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


# Date-time parameters: years 1900-2999 and UTC offsets up to ±14:00 (the widest in use). Python
# reads offsets up to ±23:59 and years up to 9999, but PostgreSQL refuses offsets past ±15:59
# ("time zone displacement out of range"), so the edge refuses what the database cannot take.
DATETIME_PATTERN = (
    r"^(19\d\d|2\d\d\d)-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,6})?)?(Z|[+-](0\d|1[0-3]):[0-5]\d|[+-]14:00)$"
)
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999
MAX_OFFSET = dt.timedelta(hours=14)


def parse_datetime_parameter(value: str) -> dt.datetime:
    """The one reader of date-time parameters: ISO 8601 with a UTC offset (or `Z`); a value
    without an offset is read in Asia/Almaty. Raises `forms.ValidationError` for the rest."""
    try:
        parsed = parse_datetime(value.strip())
    except ValueError:
        parsed = None
    if parsed is None:
        raise forms.ValidationError(
            _("Give a date and time in ISO 8601, e.g. 2026-03-01T09:00:00+05:00."), code="invalid"
        )
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise forms.ValidationError(
            _("Give a year from %(earliest)s to %(latest)s."),
            code="invalid",
            params={"earliest": EARLIEST_YEAR, "latest": LATEST_YEAR},
        )
    if timezone.is_naive(parsed):
        return timezone.make_aware(parsed)
    offset = parsed.utcoffset()
    if offset is None or abs(offset) > MAX_OFFSET:
        raise forms.ValidationError(_("Give a UTC offset from -14:00 to +14:00."), code="invalid")
    return parsed


class _DateTimeParameterField(forms.Field):
    def to_python(self, value: Any) -> dt.datetime | None:
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value
        return parse_datetime_parameter(str(value))


@extend_schema_field(
    {
        "type": "string",
        "format": "date-time",
        "pattern": DATETIME_PATTERN,
        "description": "ISO 8601 with a UTC offset from -14:00 to +14:00, years 1900-2999.",
    }
)
class DateTimeFilter(django_filters.Filter):
    """A date-time parameter (`?updated_since=`), read by `parse_datetime_parameter`."""

    field_class = _DateTimeParameterField


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
    """`?updated_since=` is a mistake in the client, not a request for everything; and no
    parameter takes several values, so `?q=a&q=b` is refused rather than read as one of them."""
    lists = list(request.query_params.lists())
    errors = {
        key: [_("This parameter is empty: give a value or leave it out.")] for key, v in lists if "" in v
    }
    for key, values in lists:
        if len(values) > 1 and key not in errors:
            errors[key] = [_("Give this parameter once.")]
    if errors:
        raise ValidationError(dict(sorted(errors.items())))
