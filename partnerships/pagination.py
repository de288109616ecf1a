"""Pagination that forgives: a page number that is not a number, or lies past the end,
shows the nearest page instead of a 404 (a bookmarked page 7 may have become page 5)."""


class ForgivingPaginationMixin:
    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
