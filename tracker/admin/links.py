"""The admin's bulk linking: accept the stored one-to-one link candidates of the selected events, above a
score, after a page that says how many it would accept."""

import re

from django.contrib import admin, messages
from django.db.models import Q
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tracker import linking
from tracker.models import LinkCandidate


@admin.action(description=_("Accept the one-to-one link candidates of the selected events"), permissions=["link"])
def one_to_one_links_accept(modeladmin, request, queryset):
    """A candidate counts when either of its events is selected; nothing is merged before the user confirms."""
    score = request.POST.get("min_score", "0").strip()
    min_score = int(score) if re.fullmatch(r"[0-9]{1,3}", score) else 0
    selected = set(queryset.values_list("pk", flat=True))
    chosen = list(
        LinkCandidate.objects.standing()
        .filter(Q(first__in=selected) | Q(second__in=selected), is_one_to_one=True, score__gte=min_score)
        .select_related("first", "second")
    )
    if request.POST.get("confirmed") == "yes":
        merged, refusals = linking.stored_links_accept(candidates=chosen, user=request.user)
        message = ngettext("Merged %(count)d pair of events.", "Merged %(count)d pairs of events.", merged)
        modeladmin.message_user(request, message % {"count": merged}, messages.SUCCESS)
        for refusal in refusals:
            modeladmin.message_user(request, refusal, messages.WARNING)
        return None
    return TemplateResponse(
        request,
        "admin/tracker/event/links_accept.html",
        {
            **modeladmin.admin_site.each_context(request),
            "opts": modeladmin.model._meta,
            "title": _("Accept one-to-one link candidates"),
            "would_accept": len(chosen),
            "min_score": min_score,
            "selected_count": len(selected),
            "selected_ids": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
        },
    )
