from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save, pre_delete
from django.utils.translation import gettext_lazy as _


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = _("Casualty claims")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The joints between the layers: the models announce changes, the layers above keep what
        # they derive from them (STYLE.md, "Layers and joints").
        from tracker import choice_cache, linking, roles
        from tracker.ingest.signals import claims_imported
        from tracker.models import Assessment, Claim, Event, FateClaim, Source
        from tracker.models.signals import (
            claim_delete_announce,
            claim_save_announce,
            claims_changed,
            fate_claim_delete_announce,
            fate_claim_save_announce,
            fates_changed,
        )
        from tracker.summaries import receivers
        from tracker.summaries.signals import summaries_stored
        from tracker.web import languages

        post_save.connect(claim_save_announce, sender=Claim, dispatch_uid="claim_save_announce")
        post_delete.connect(claim_delete_announce, sender=Claim, dispatch_uid="claim_delete_announce")
        claims_changed.connect(receivers.claims_summarise, dispatch_uid="claims_summarise")
        post_save.connect(fate_claim_save_announce, sender=FateClaim, dispatch_uid="fate_claim_save_announce")
        post_delete.connect(fate_claim_delete_announce, sender=FateClaim, dispatch_uid="fate_claim_delete_announce")
        fates_changed.connect(receivers.fates_summarise, dispatch_uid="fates_summarise")
        post_save.connect(receivers.event_date_fates, sender=Event, dispatch_uid="event_date_fates")
        # What the stored grades read besides the claims (tracker.summaries.grades).
        perpetrators = Event.alleged_perpetrators.through
        m2m_changed.connect(receivers.perpetrators_remember, sender=perpetrators, dispatch_uid="perpetrators_remember")
        m2m_changed.connect(receivers.perpetrators_grade, sender=perpetrators, dispatch_uid="perpetrators_grade")
        post_save.connect(receivers.relays_grade, sender=Source, dispatch_uid="relays_grade")
        post_save.connect(receivers.assessment_grade, sender=Assessment, dispatch_uid="assessment_grade_save")
        post_delete.connect(receivers.assessment_grade, sender=Assessment, dispatch_uid="assessment_grade_delete")
        pre_delete.connect(receivers.event_tallies_forget, sender=Event, dispatch_uid="event_tallies_forget")
        summaries_stored.connect(choice_cache.choices_forget, dispatch_uid="choices_forget")
        claims_imported.connect(
            linking.link_candidates_refresh_after_import, dispatch_uid="link_candidates_refresh_after_import"
        )
        user_logged_in.connect(languages.language_remember, dispatch_uid="language_remember")
        # After auth's own post_migrate handler has created the permissions the roles are given.
        post_migrate.connect(roles.roles_sync, sender=self, dispatch_uid="roles_sync")
        self.data_version_connect()

    def data_version_connect(self):
        """Count the data version up with every write of a record the pages show (tracker.models.freshness)."""
        from tracker.models import DataVersion, ImportJob, LanguagePreference
        from tracker.models.freshness import data_changed
        from tracker.models.signals import claims_changed, fates_changed
        from tracker.summaries.signals import summaries_stored

        unseen = {DataVersion, ImportJob, LanguagePreference}  # a job's progress, a user's language: no data
        for model in self.get_models():
            if model in unseen or model.__name__.startswith("Historical"):
                continue  # a record's history is written with the record
            post_save.connect(data_changed, sender=model, dispatch_uid=f"data_changed_save_{model.__name__}")
            post_delete.connect(data_changed, sender=model, dispatch_uid=f"data_changed_delete_{model.__name__}")
        throughs = {field.remote_field.through for model in self.get_models() for field in model._meta.many_to_many}
        for through in throughs:
            m2m_changed.connect(data_changed, sender=through, dispatch_uid=f"data_changed_m2m_{through.__name__}")
        # The bulk writes, which send no post_save: the claims', the fate claims', the summaries'.
        for signal, name in ((claims_changed, "claims"), (fates_changed, "fates"), (summaries_stored, "summaries")):
            signal.connect(data_changed, dispatch_uid=f"data_changed_{name}")


class AxesConfig(AxesAppConfig):
    """django-axes, named in the admin in the user's language (it has no name of its own but "Axes")."""

    verbose_name = _("Sign-in attempts")
