from __future__ import annotations

from rest_framework.pagination import CursorPagination


class Newest(CursorPagination):
    """Cursor pages, newest first: stable while rows are added, and each page costs the
    same whatever its depth."""

    ordering = ("-created_at", "-pk")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
