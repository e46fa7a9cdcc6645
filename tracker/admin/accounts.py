"""Users and groups: API tokens issued and revoked from the user list, and each change of who may see
confidential sources written in the admin's log, naming who gave or took the grant, and from whom."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from rest_framework.authtoken.models import Token, TokenProxy

from tracker import visibility
from tracker.roles import api_tokens_issue, api_tokens_revoke

User = get_user_model()

KEY_START_SHOWN = 6  # enough to tell two keys apart, far too little to guess the rest (40 hex digits)

# DRF's list of tokens shows every key in clear to whoever may view it. Keys are issued and revoked
# from the user list instead, each shown once, on the page that issues it.
admin.site.unregister(TokenProxy)
admin.site.unregister(User)
admin.site.unregister(Group)


class GrantChangesLogged:
    """Users' or groups' pages whose saves log each user given, or denied, the grant to see confidential sources.

    Administrators manage accounts, so they can give anyone the grant, themselves too: that is
    intended (an administrator could as well reset a holder's password). What keeps it answerable
    is this log, whichever way the grant went: a group joined or left, a permission of the user's
    own, a group's permissions, the superuser flag.
    """

    def members(self, obj) -> list:
        """Return the ids of the users whose grant a save of this object can change."""
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        request.grant_holders_before = visibility.users_seeing_confidential(self.members(obj)) if change else set()
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        self.grant_changes_log(request, request.grant_holders_before, self.members(form.instance))

    def delete_model(self, request, obj):
        members = self.members(obj)
        before = visibility.users_seeing_confidential(members)
        super().delete_model(request, obj)
        self.grant_changes_log(request, before, members)

    def grant_changes_log(self, request, before: set, members) -> None:
        after = visibility.users_seeing_confidential(members)
        for user in User.objects.filter(pk__in=before ^ after).order_by("pk"):
            given = user.pk in after
            message = (
                _("%(actor)s gave %(user)s the grant to see confidential sources.")
                if given
                else _("%(actor)s took from %(user)s the grant to see confidential sources.")
            )
            self.log_change(request, user, message % {"actor": request.user, "user": user})


@admin.register(User)
class TrackerUserAdmin(GrantChangesLogged, UserAdmin):
    fieldsets = (*UserAdmin.fieldsets, (gettext_lazy("API token"), {"fields": ("api_token",)}))
    readonly_fields = ("api_token",)
    actions = ["api_tokens_issue", "api_tokens_revoke"]

    def members(self, obj) -> list:
        return [obj.pk]

    def has_token_permission(self, request) -> bool:
        return request.user.has_perms(["authtoken.add_tokenproxy", "authtoken.delete_tokenproxy"])

    @admin.display(description=gettext_lazy("API token"))
    def api_token(self, user):
        token = Token.objects.filter(user=user).first()
        if token is None:
            return _("None: issue one with the action of the user list.")
        return _("Issued %(date)s; its key begins “%(start)s…” (shown whole only once, when issued).") % {
            "date": formats.date_format(token.created, "DATETIME_FORMAT"),
            "start": token.key[:KEY_START_SHOWN],
        }

    @admin.action(
        description=gettext_lazy("Issue a new API token to the selected users (any old one stops working)"),
        permissions=["token"],
    )
    def api_tokens_issue(self, request, queryset):
        issued = api_tokens_issue(users=queryset)
        for user in issued:
            self.log_change(request, user, _("Issued a new API token."))
        context = {
            **self.admin_site.each_context(request),
            "title": _("API tokens issued"),
            "opts": self.opts,
            "issued": sorted(issued.items(), key=lambda item: item[0].get_username()),
        }
        return TemplateResponse(request, "admin/auth/user/api_tokens_issued.html", context)

    @admin.action(description=gettext_lazy("Revoke the API tokens of the selected users"), permissions=["token"])
    def api_tokens_revoke(self, request, queryset):
        revoked = api_tokens_revoke(users=queryset)
        for user in revoked:
            self.log_change(request, user, _("Revoked the API token."))
        self.message_user(
            request,
            ngettext("Revoked %(count)d API token.", "Revoked %(count)d API tokens.", len(revoked))
            % {"count": len(revoked)},
            messages.SUCCESS,
        )


@admin.register(Group)
class TrackerGroupAdmin(GrantChangesLogged, GroupAdmin):
    def members(self, obj) -> list:
        return list(obj.user_set.values_list("pk", flat=True)) if obj.pk is not None else []
