from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Casualty claims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from tracker import linking, roles, summaries, tallies
        from tracker.ingest.signals import claims_imported
        from tracker.models import Claim, Event
        from tracker.web import languages

        post_save.connect(summaries.claim_saved, sender=Claim, dispatch_uid="claim_saved")
        post_delete.connect(summaries.claim_deleted, sender=Claim, dispatch_uid="claim_deleted")
        pre_delete.connect(tallies.event_tallies_forget, sender=Event, dispatch_uid="event_tallies_forget")
        claims_imported.connect(
            linking.link_candidates_refresh_after_import, dispatch_uid="link_candidates_refresh_after_import"
        )
        user_logged_in.connect(languages.language_remembered, dispatch_uid="language_remembered")
        # After auth's own post_migrate handler has created the permissions the roles are given.
        post_migrate.connect(roles.roles_sync, sender=self, dispatch_uid="roles_sync")


class AxesConfig(AxesAppConfig):
    """django-axes, named in the admin in the user's language (it has no name of its own but "Axes")."""

    verbose_name = _("Sign-in attempts")
