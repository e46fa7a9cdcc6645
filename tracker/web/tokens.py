"""Downloads for scripts: the API's token in place of a browser's session.

A request with `Authorization: Token <key>` is the token's user's, as in the API (with the same
permissions and the same confidential sources hidden); a token header that names no active
user's token is answered 401 with `WWW-Authenticate: Token`, since a script cannot follow a login
page. A request without the header is a browser's: anonymous, it is sent to the login page.
"""

from __future__ import annotations

from django.http import HttpResponse
from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class TokenAccess:
    """Let a view's permission check see the user of an API token the request carries."""

    def dispatch(self, request, *args, **kwargs):
        authentication = TokenAuthentication()
        try:
            authenticated = authentication.authenticate(request)
        except AuthenticationFailed as error:
            response = HttpResponse(str(error.detail), status=401, content_type="text/plain; charset=utf-8")
            response["WWW-Authenticate"] = authentication.authenticate_header(request)
            return response
        if authenticated is not None:
            request.user = authenticated[0]
        return super().dispatch(request, *args, **kwargs)
