"""Requests the tracker cannot read are refused with a 400 before any view or query sees them."""

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _


class NulByteGuard:
    """Refuse a NUL byte in the address or its parameters: no text of the tracker holds one, and
    PostgreSQL refuses it in a query with an error rather than an empty answer."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        values = [request.path, *(value for _, values in request.GET.lists() for value in values)]
        if any("\x00" in value for value in values):
            return HttpResponseBadRequest(
                _("The address holds a NUL character, which no record holds."), content_type="text/plain; charset=utf-8"
            )
        return self.get_response(request)
