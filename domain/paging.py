"""Pages of a listing: what a caller asks for (``PageRequest``) and what it gets (``Page``)."""

from __future__ import annotations

from typing import Generic, TypeVar

from attrs import frozen

from domain.errors import ValidationError

T = TypeVar("T")
MAX_PER_PAGE = 100


@frozen
class PageRequest:
    page: int = 1
    per_page: int = 20

    def __attrs_post_init__(self) -> None:
        for name, value, top in (("page", self.page, 1_000_000), ("per_page", self.per_page,
                                                                  MAX_PER_PAGE)):
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise ValidationError(f"{name} must be a whole number from 1 to {top}", field=name)

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page


@frozen
class Page(Generic[T]):
    items: tuple[T, ...]
    total_count: int
    request: PageRequest

    @property
    def total_pages(self) -> int:
        return (self.total_count + self.request.per_page - 1) // self.request.per_page

    @property
    def has_next(self) -> bool:
        return self.request.page < self.total_pages

    @property
    def has_previous(self) -> bool:
        return self.request.page > 1
