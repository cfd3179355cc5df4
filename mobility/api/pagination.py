"""Cursor pagination: stable under inserts, constant cost per page (no COUNT, no OFFSET).

A cursor is opaque to clients but not to an attacker: it is decoded strictly (base64, known
keys, a position of the ordering field's type), and anything else is a 400 naming `cursor`, so
a crafted one never reaches the database. `page_size` outside 1..`max_page_size` is a 400 too.
"""

from __future__ import annotations

import binascii
import datetime as dt
from base64 import b64decode
from collections.abc import Sequence
from typing import Any, TypeVar
from urllib import parse

from django.core.exceptions import FieldDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import Cursor as CursorTuple
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.utils.urls import remove_query_param

T = TypeVar("T")

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


class RankedPages(Cursor):
    """`Cursor`'s envelope, parameters and strict cursor over a ranking computed for the request
    (the matcher's order has no column to seek on): the cursor keeps an offset into the ranking.
    The ranking is computed again for each page, so a page reflects the data when it is asked."""

    def paginate_list(self, items: Sequence[T], request: Request) -> list[T]:
        self.request = request
        self.base_url = request.build_absolute_uri()
        self.page_size = self.get_page_size(request)
        cursor = self.decode_cursor(request)
        if cursor is not None and (cursor.reverse or cursor.position is not None):
            raise ValidationError(
                {self.cursor_query_param: [_("This cursor is not valid: use the links the API gave.")]}
            )
        offset = cursor.offset if cursor is not None else 0
        end = offset + self.page_size
        self._next_offset = end if end < len(items) else None
        self._previous_offset = max(0, offset - self.page_size) if offset > 0 else None
        return list(items[offset:end])

    def _link(self, offset: int | None) -> str | None:
        if offset is None:
            return None
        if offset == 0:
            return remove_query_param(self.base_url or "", self.cursor_query_param)
        return self.encode_cursor(CursorTuple(offset=offset, reverse=False, position=None))

    def get_next_link(self) -> str | None:
        return self._link(self._next_offset)

    def get_previous_link(self) -> str | None:
        return self._link(self._previous_offset)
