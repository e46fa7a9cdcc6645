"""Who may see what: the one rule for confidential sources and what they would give away.

A confidential source may endanger whoever gave it. Only users with the permission
`tracker.view_confidential_source` see it; to everyone else it is "a confidential source" and
nothing more: not its title, publisher, link, excerpt or history, nor the notes of its claims and of
its fate claims (which may name who told us), nor whether a source with a given link exists. What
follows says "claim" for both: a fate claim cites its source, and hides with it, as a claim does. Pages, the API,
the admin (lists, filters, search, forms, inlines, history), downloads and import previews all
ask this module; none decides for itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

CONFIDENTIAL_PERMISSION = "tracker.view_confidential_source"

CONFIDENTIAL_SOURCE = _("Confidential source")  # shown in place of a source that is hidden
HIDDEN_NOTES = _("Hidden with the confidential source.")  # shown in place of its claims' notes

# A claim's fields that are hidden with its source (a query could read them a letter at a time
# through an admin filter in the address, say), and the one field of a hidden source shown.
HIDDEN_CLAIM_FIELDS = ("notes",)
SHOWN_SOURCE_FIELD = "confidential"  # all that is shown of a hidden source: that it is one


def cites_source(record) -> bool:
    """Whether a record is one whose source may hide it, and its notes with it: a claim or a fate claim."""
    from tracker.models import Claim, FateClaim  # the models ask this module too

    return isinstance(record, Claim | FateClaim)


def sees_confidential(user) -> bool:
    """Whether this user may see confidential sources and their claims' notes."""
    return user is not None and user.has_perm(CONFIDENTIAL_PERMISSION)


def users_seeing_confidential(user_ids) -> set:
    """Return which of these users may see confidential sources: by a group, a permission or as superuser."""
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.with_perm(
        CONFIDENTIAL_PERMISSION, is_active=None, backend="django.contrib.auth.backends.ModelBackend"
    )
    return set(users.filter(pk__in=user_ids).values_list("pk", flat=True))


def sources_visible_to(user, sources):
    """Return the sources of this queryset that the user may see."""
    return sources if sees_confidential(user) else sources.filter(confidential=False)


def is_source_hidden(source, user) -> bool:
    """Whether this source is hidden from the user."""
    return source.confidential and not sees_confidential(user)


def is_claim_source_hidden(claim, user) -> bool:
    """Whether a claim's source, and with it the claim's notes, are hidden from the user."""
    hidden = getattr(claim, "source_hidden", None)  # annotated by `claims_marked`
    return is_source_hidden(claim.source, user) if hidden is None else hidden


def sources_once_confidential(source_ids) -> set:
    """Return which of these sources are confidential now or were at any time their history kept."""
    from tracker.models import Source  # the models ask this module too

    ids = {source_id for source_id in source_ids if source_id is not None}
    now = Source.objects.filter(pk__in=ids, confidential=True).values_list("pk", flat=True)
    once = Source.history.filter(id__in=ids, confidential=True).values_list("id", flat=True)
    return set(now) | set(once)


def is_past_source_hidden(source_id, user) -> bool:
    """Whether what a past version says of this source, or of a claim on it, is hidden from the user.

    Stricter than `is_source_hidden`: a source made public later, or a claim moved off it, keeps what
    was written while it was confidential out of its history.
    """
    return not sees_confidential(user) and bool(sources_once_confidential([source_id]))


def past_sources_hidden(source_ids, user) -> frozenset:
    """Return which of these sources the user may not see named in any history: those ever confidential."""
    return frozenset() if sees_confidential(user) else frozenset(sources_once_confidential(source_ids))


@dataclass(frozen=True)
class PastSecrets:
    """What a user may not read in the past versions of some claims; nothing, for who sees confidential sources.

    A past version is judged by the source it had then. Whether that source was confidential at that
    moment is not asked: a source made confidential later hides its claims' notes today, so its past
    hides them too, and one made public later keeps hidden what was written while it was not.
    """

    sources: frozenset = frozenset()  # ids of the sources confidential now or at any time their history kept
    notes: frozenset = frozenset()  # (claim id, notes) that some version of the claim held on such a source

    def is_source_hidden(self, source_id) -> bool:
        return source_id in self.sources

    def is_notes_hidden(self, version) -> bool:
        """Whether a claim version's notes are hidden: written on such a source, or kept from one.

        Notes written on a confidential source and left unchanged when the claim moved to a public
        one are still the informant's words: every version that holds them hides them.
        """
        return version.source_id in self.sources or (version.id, version.notes) in self.notes


def past_secrets(claim_ids, user, *, model=None) -> PastSecrets:
    """Return what the user may not read in the past versions of these claims, or of these fate claims when
    `model` is FateClaim (none, or three queries)."""
    if sees_confidential(user):
        return PastSecrets()
    from tracker.models import Claim  # the models ask this module too

    versions = list((model or Claim).history.filter(id__in=claim_ids).values_list("id", "source_id", "notes"))
    sources = sources_once_confidential({source_id for _, source_id, _ in versions})
    notes = {(claim_id, notes) for claim_id, source_id, notes in versions if source_id in sources and notes}
    return PastSecrets(sources=frozenset(sources), notes=frozenset(notes))


def log_entries_shown(entries, user) -> list:
    """Return admin log entries ("Recent actions") naming a source that is or was confidential only as such.

    An entry keeps the name its object had when it was logged, so it is judged by the source's whole
    history, and by the user reading it now: a grant since revoked no longer shows what it showed.
    Entries of other records name no source (a claim is named by its party, event and count).
    """
    entries = list(entries)
    if sees_confidential(user):
        return entries
    from django.contrib.contenttypes.models import ContentType

    from tracker.models import Source

    source_type = ContentType.objects.get_for_model(Source)
    logged = {int(entry.object_id) for entry in entries if entry.content_type_id == source_type.pk}
    hidden = {str(source_id) for source_id in sources_once_confidential(logged)}
    for entry in entries:
        if entry.content_type_id == source_type.pk and entry.object_id in hidden:
            entry.object_repr = str(CONFIDENTIAL_SOURCE)
    return entries


def claims_marked(claims, user):
    """Annotate a claims queryset with `source_hidden`, so that each row knows without a query."""
    if sees_confidential(user):
        return claims.annotate(source_hidden=models.Value(False, output_field=models.BooleanField()))
    return claims.annotate(
        source_hidden=models.Case(
            models.When(source__confidential=True, then=models.Value(True)),
            default=models.Value(False),
            output_field=models.BooleanField(),
        )
    )


def claims_shown(claims, user):
    """Give each claim `shown_source` (None when hidden) and `shown_notes` ("" when hidden) for a page."""
    for claim in claims:
        hidden = is_claim_source_hidden(claim, user)
        claim.shown_source = None if hidden else claim.source
        claim.shown_notes = "" if hidden else claim.notes
    return claims


def claim_sample_shown(sample: dict, user) -> dict:
    """Return an import preview's sample claim (tracker.ingest.samples) as the user may see it."""
    if not sample["source_confidential"] or sees_confidential(user):
        return sample
    return {**sample, "source": str(CONFIDENTIAL_SOURCE), "notes": ""}


def lookup_reveals(lookup: str, user) -> bool:
    """Whether a query lookup (`notes__startswith`, `source__title`, `source`) could read what the user may not see.

    Such lookups are refused for the user outright, confidential or not: a filter that answers
    "0 results" for a hidden claim tells as much as one that shows it. A filter by the source itself
    (`?source=17`) would tell which claims share one hidden source, and a refusal only of hidden ones
    that a source exists: it is refused whatever the source. Only whether a claim's source is
    confidential, which each claim's page says, may be asked.
    """
    if sees_confidential(user):
        return False
    parts = lookup.split("__")
    if parts[0] in HIDDEN_CLAIM_FIELDS:
        return True
    for index, part in enumerate(parts):
        if part == "source_id":
            return True
        if part == "source":
            return parts[index + 1 : index + 2] != [SHOWN_SOURCE_FIELD]
    return False


def source_label(source, user) -> str:
    """Return how a source is named to the user: its name, or "Confidential source"."""
    return str(CONFIDENTIAL_SOURCE) if is_source_hidden(source, user) else str(source)
