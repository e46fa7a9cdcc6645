"""How long lists are cut into pages: the page sizes, and a paginator that stops at a cap.

Deeper pages make a database skip ever more rows for each one, and a reader is better served by a
filter or another order (the page says so), so the lists page through the first `MAX_PAGES` only.
"""

from __future__ import annotations

from django.core.paginator import Paginator
from django.utils.functional import cached_property

LIST_PAGE_SIZE = 50
CLAIM_PAGE_SIZE = 100
TIMELINE_PAGE_SIZE = 50
MAX_PAGES = 100


class CappedPaginator(Paginator):
    """Pages through the first `MAX_PAGES` pages only; `count` stays the number of every row.

    `known_count`, when given, is the number of rows as stored elsewhere (a tally): no count query.
    """

    def __init__(self, *args, known_count: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if known_count is not None:
            self.count = known_count

    @cached_property
    def num_pages(self):
        return min(super().num_pages, MAX_PAGES)

    @property
    def listed(self) -> int:
        """How many rows the pages offered hold."""
        return min(self.count, self.num_pages * self.per_page)

    @property
    def capped(self) -> bool:
        """Whether some rows lie beyond the last page offered."""
        return self.count > self.listed
