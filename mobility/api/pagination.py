"""Cursor pagination: stable under inserts, constant cost per page (no COUNT, no OFFSET).

A cursor is opaque to clients but not to an attacker: it is decoded strictly (base64, known
keys, a position of the ordering field's type), and anything else is a 400 naming `cursor`, so
a crafted one never reaches the database. `page_size` outside 1..`max_page_size` is a 400 too.
"""

from __future__ import annotations

import binascii
import datetime as dt
from base64 import b64decode
from typing import Any
from urllib import parse

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor as CursorTuple
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request

BIGINT = 2**63 - 1
CURSOR_MAX_LENGTH = 200


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        self.model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request: Request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        _("Give a whole number from 1 to %(max)s.") % {"max": self.max_page_size}
                    ]
                }
            )
        return size

    def decode_cursor(self, request: Request) -> CursorTuple | None:
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is None:
            return None
        try:
            if not encoded or len(encoded) > CURSOR_MAX_LENGTH:
                raise ValueError
            querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
            tokens = parse.parse_qs(querystring, keep_blank_values=True, strict_parsing=bool(querystring))
            if set(tokens) - {"o", "r", "p"} or any(len(v) != 1 for v in tokens.values()):
                raise ValueError
            offset = int(tokens.get("o", ["0"])[0])
            reverse = tokens.get("r", ["0"])[0]
            if not 0 <= offset <= self.offset_cutoff or reverse not in ("0", "1"):
                raise ValueError
            position = tokens.get("p", [None])[0]
            if position is not None:
                self._check_position(position)
        except (TypeError, ValueError, UnicodeError, binascii.Error, DjangoValidationError) as exc:
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid: use the links the API gave.")]}
            ) from exc
        return CursorTuple(offset=offset, reverse=reverse == "1", position=position)  # type: ignore[arg-type]

    def _check_position(self, position: str) -> None:
        """The position must be a value of the ordering field (an id, a date-time)."""
        if "\x00" in position:
            raise ValueError
        model = getattr(self, "model", None)
        if model is None:
            return
        try:
            field = model._meta.get_field(self.ordering[0].lstrip("-"))
        except FieldDoesNotExist:
            return
        value = field.to_python(position)
        if isinstance(field, models.IntegerField) and not -BIGINT <= int(value) <= BIGINT:
            raise ValueError
        if isinstance(field, models.DateTimeField) and not isinstance(value, dt.datetime):
            raise ValueError

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters: list[dict[str, Any]] = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.cursor_query_param:
                parameter["schema"].update(minLength=1, maxLength=CURSOR_MAX_LENGTH)
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size, default=self.page_size)
        return parameters
