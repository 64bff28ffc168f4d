from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.utils.functional import cached_property

from articles.memos import list_length


class DeferredJoinPaginator(Paginator):
    """Count and pick the page's ids on `ids` (a values_list queryset, the id first, in page
    order, that an index can answer), then load only those rows with `decorate(page_ids)`
    (joins, annotations, prefetches, the same order): page 1,000 costs about what page 1
    does, since the OFFSET walks an index instead of joined rows."""

    def __init__(self, ids, per_page, decorate, count_key=None):
        super().__init__(ids, per_page)
        self.decorate = decorate
        self.count_key = count_key

    @cached_property
    def count(self):
        if self.count_key is None:
            return super().count
        return list_length(self.count_key, self.object_list.count)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = [row[0] for row in self.object_list[bottom : bottom + self.per_page]]
        return self._get_page(list(self.decorate(ids)), number, self)


def paginate(request, queryset, per_page: int | None = None, *, decorate=None, count_key=None):
    """The page named by ?page=N; a page that does not exist is a 404, never a 500.

    With `decorate`, the page's rows are loaded by a deferred join (DeferredJoinPaginator);
    with `count_key` too, the list's length is counted once per content version.
    """
    per_page = per_page or settings.ARTICLES_PER_PAGE
    if decorate:
        paginator = DeferredJoinPaginator(queryset, per_page, decorate, count_key)
    else:
        paginator = Paginator(queryset, per_page)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None
