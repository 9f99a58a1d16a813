"""Page numbers for lists."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request


# Far beyond any list; keeps LIMIT/OFFSET within SQLite's 64-bit integers (a huge page was a 500).
MAX_PAGE = 1_000_000


def page_number(param: str = "page") -> int:
    """The ``page`` query argument (or ``param``), between 1 and MAX_PAGE (bad values fall back to 1)."""
    page = request.args.get(param, 1, type=int) or 1
    return min(max(page, 1), MAX_PAGE)


@dataclass(frozen=True)
class Pagination:
    page: int
    page_size: int
    total: int
    param: str = "page"  # the query argument, for several paged lists on one page

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def start(self) -> int:
        """Index of the page's first row in the whole list."""
        return (min(self.page, self.pages) - 1) * self.page_size

    def rows(self, items: list) -> list:  # type: ignore[type-arg]
        """This page's slice of a list already in memory."""
        return items[self.start:self.start + self.page_size]

    def args(self, page: int) -> dict[str, object]:
        """The current query arguments with another page number."""
        args = {k: v for k, v in request.args.items() if k != self.param}
        args[self.param] = page
        return args
