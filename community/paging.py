"""Pages of a list whose cost does not grow with the list.

Django's Paginator counts every matching row to print "Page 3 of 2,017": on a tag with
40,000 questions that count is most of the page's SQL. ``BoundedPaginator`` counts at most
``cap`` + 1 rows (``SELECT COUNT(*) FROM (... LIMIT cap + 1)``, which stops early on the
list's own index). Up to ``cap`` rows it behaves exactly like Django's; past it the list is
"more than cap" and open-ended: any page can be asked for, and whether there is a next one
is told by reading one row beyond the page instead of by the total.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import EmptyPage, Page, Paginator
from django.utils.functional import cached_property


class OpenPage(Page):
    """A page of a list too long to count: it knows only whether another page follows."""

    def __init__(self, object_list: list[Any], number: int, paginator: BoundedPaginator, more: bool):
        super().__init__(object_list, number, paginator)
        self.more = more
        self.cap = paginator.cap

    def __repr__(self) -> str:
        return f"<Page {self.number} of more than {self.cap}>"

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        if not self.more:
            raise EmptyPage("That page contains no results")
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.paginator.validate_number(self.number - 1)

    def end_index(self) -> int:
        return (self.number - 1) * self.paginator.per_page + len(self.object_list)


class BoundedPaginator(Paginator):
    def __init__(self, object_list: Any, per_page: int, *, cap: int) -> None:
        super().__init__(object_list, per_page)
        self.cap = cap

    @cached_property
    def count(self) -> int:
        """The number of rows, but never more than ``cap`` + 1 (see ``beyond_cap``)."""
        rows: Any = self.object_list  # a QuerySet: counted in the database, LIMIT cap + 1,
        # in no order (any cap + 1 rows will do: the cheapest index, not the list's order)
        return int(rows.order_by()[: self.cap + 1].count())

    @property
    def beyond_cap(self) -> bool:
        """More rows than ``cap``: the count is a floor and the list has no last page."""
        return self.count > self.cap

    def validate_number(self, number: Any) -> int:
        if not self.beyond_cap:
            return super().validate_number(number)
        try:
            return super().validate_number(number)
        except EmptyPage:
            if int(number) < 1:
                raise
            return int(number)

    def page(self, number: Any) -> Page:
        if not self.beyond_cap:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        rows = list(self.object_list[bottom : bottom + self.per_page + 1])
        return OpenPage(rows[: self.per_page], number, self, more=len(rows) > self.per_page)
