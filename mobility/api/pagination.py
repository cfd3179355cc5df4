"""Cursor pagination: stable under inserts, constant cost per page (no COUNT, no OFFSET)."""

from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"
