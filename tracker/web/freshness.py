"""Answers a browser can reuse: every page and download carries an ETag built from the data version
(tracker.models.freshness), who asks (their permissions, so a role or the grant changes it), the language
and the address with its query. A repeat request whose If-None-Match still matches gets a 304 without the
page being built; any write, a change of role or language, or another filter gives a new tag.
"""

from __future__ import annotations

import hashlib

from django.contrib import messages
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.views.decorators.http import condition

from tracker.models.freshness import data_version, data_version_pinned


def page_etag(request, *args, **kwargs) -> str | None:
    """Return the tag of the page this request asks for, or None when it cannot be reused: a page that
    carries a message (a decision's outcome) is shown once."""
    if any(True for _message in messages.get_messages(request)):
        return None
    user = request.user
    facts = [
        str(data_version()),
        str(user.pk),
        # What the user may see and do: the permissions decide, the confidential grant among them.
        ",".join(sorted(user.get_all_permissions())),
        translation.get_language() or "",
        request.get_full_path(),
    ]
    return hashlib.sha256("\n".join(facts).encode()).hexdigest()[:40]


def conditional(view):
    """Wrap a view so that it answers a matching If-None-Match with a 304, and tells the browser to ask
    again every time (the answer is the user's own, and may have changed). The data version is read once
    for the tag and whatever the page keeps in the cache under it."""
    tagged = condition(etag_func=page_etag)(view)

    def answer(request, *args, **kwargs):
        with data_version_pinned():
            response = tagged(request, *args, **kwargs)
        patch_cache_control(response, private=True, no_cache=True)
        return response

    return answer
