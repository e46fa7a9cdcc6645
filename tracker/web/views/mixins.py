"""What every page shares: who may see it, and how its lists are paged."""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin

from tracker import roles
from tracker.presentation.paging import CappedPaginator
from tracker.web.freshness import conditional


class TrackerAccess(PermissionRequiredMixin):
    """Anonymous visitors go to the login page; signed-in users without the Viewer's permissions get a 403.
    Those who may see the page get it with an ETag, and a 304 when their copy is still current."""

    permission_required = roles.READ_PERMISSIONS

    def dispatch(self, request, *args, **kwargs):
        # The permission first: whether a tag matches says when the data last changed.
        if not self.has_permission():
            return self.handle_no_permission()
        return conditional(super(PermissionRequiredMixin, self).dispatch)(request, *args, **kwargs)


class GentlePagination:
    """A page number that is not a number, or past the end, shows the nearest page instead of a 404."""

    paginator_class = CappedPaginator

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(queryset, page_size, allow_empty_first_page=True)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()
