"""A paginator that never counts a million rows: it counts at most ``bound`` + 1 of them."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_BOUND = 5000


class BoundedCountPaginator(Paginator):
    """Counts ``SELECT COUNT(*) FROM (SELECT id … LIMIT bound + 1)``: exact up to the bound, "bound+" above.

    With the queue's index the inner query stops after ``bound`` + 1 rows, so the cost of a page does
    not grow with the table. Pages beyond the bound are not offered: a clerk works from the top of the
    queue, and narrows it with the filters or the case-number search.
    """

    bound = COUNT_BOUND
    capped = False  # True once the count stopped at the bound

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not hasattr(queryset, "order_by"):  # a plain list (tests, "show all")
            return len(queryset)
        counted = queryset.order_by().values("pk")[: self.bound + 1].count()
        self.capped = counted > self.bound
        return min(counted, self.bound)
