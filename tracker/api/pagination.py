"""Pages of the API: 50 results unless the client asks for another size (`?page_size=`), up to 500."""

from rest_framework.pagination import PageNumberPagination


class TrackerPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500  # a page stays an answer, not a download: /events/export.json has them all
