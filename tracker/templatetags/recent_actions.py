"""The admin index's "Recent actions", as tracker.visibility allows the reader to see them."""

from django import template

from tracker import visibility

register = template.Library()


@register.simple_tag(takes_context=True)
def recent_actions(context, limit: int) -> list:
    """Return the reader's latest admin actions, a source confidential now or once named only as such.

    Replaces Django's `get_admin_log`, which shows each entry's name as logged: a source's title stays
    in the log after the source was made confidential, or after the reader lost the grant to see it.
    """
    user = context["user"]
    return visibility.log_entries_shown(context["log_entries"].filter(user__pk=user.pk)[:limit], user)
