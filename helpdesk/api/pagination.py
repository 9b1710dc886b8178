"""DRF's page-number pagination without its COUNT when the first page holds everything.

A list that fits on one page (the day's appointments of a digipunt, most filtered lists) paid a
COUNT and then read the same rows. Page 1 now reads one row more than a page: if that is all,
the count is the number of rows read and no COUNT is run; otherwise the count is asked as before.
The answer is the same (`count`, `next`, `previous`, `results`), only cheaper.
"""

from django.core.paginator import Paginator
from rest_framework import pagination


class FirstPageCountingPaginator(Paginator):
    def page(self, number):
        if number not in (1, "1") or "count" in self.__dict__:
            return super().page(number)
        limit = self.per_page + self.orphans
        rows = list(self.object_list[: limit + 1])
        if len(rows) > limit:
            # More than one page: the count is needed; the first page is already read.
            self.validate_number(number)
            return self._get_page(rows[: self.per_page], 1, self)
        if not rows and not self.allow_empty_first_page:
            return super().page(number)  # Django's own "that page contains no results"
        self.count = len(rows)  # cached_property: set once, never counted
        return self._get_page(rows, 1, self)


class PageNumberPagination(pagination.PageNumberPagination):
    django_paginator_class = FirstPageCountingPaginator
