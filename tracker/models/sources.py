"""Sources: where a claim was published, some of them confidential."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker.models.choices import stated_on_first_day, stated_precision
from tracker.models.versions import Versioned
from tracker.rules.dates import first_day
from tracker.rules.independence import relay_loop

SOURCE_UNNAMED = _("A source needs a title or a URL.")
SOURCE_LINKED_TWICE = _("A source with this URL already exists: choose it rather than entering it again.")
SOURCE_TITLED_TWICE = _(
    "A source with this title, publisher and publication date, and no URL, already exists: choose it, or give "
    "this one its URL."
)
RELAYS_ITSELF = _("A source cannot relay itself.")
# Also the words of the database's own guard on PostgreSQL (migration 0017), which names the chain alike.
RELAYS_IN_A_LOOP = _(
    "The relays would go round in a loop (%(chain)s): a chain of relays ends at a source that relays nothing."
)

# What tells one source from another, as the constraints below hold it and the claims CSV names it:
# its URL, or without one its title, publisher and publication date; and either way whether it is
# confidential, so that a source hidden from someone never stops them entering a public one alike,
# nor tells them that it exists.
LINKED_IDENTITY = ("url", "confidential")
UNLINKED_IDENTITY = ("title", "publisher", "published_on", "confidential")


def source_identity(source) -> tuple:
    """Return what tells this source from every other: of a Source, or of anything with its fields (an import's row)."""
    if source.url:
        return ("url", *(getattr(source, name) for name in LINKED_IDENTITY))
    return ("title", *(getattr(source, name) for name in UNLINKED_IDENTITY))


def relays_followed(relays: dict, start) -> dict:
    """Fill in `relays` (a source's key to the key of the source it relays) along the chain from `start`,
    reading from the database each stored source (a primary key) it does not hold; return it. Another key
    is the caller's own, a source not stored yet, relaying nothing unless `relays` says so."""
    step = start
    while isinstance(step, int) and step not in relays:
        relays[step] = Source.objects.filter(pk=step).values_list("relays_id", flat=True).first()
        step = relays[step]
    return relays


class Source(Versioned):
    title = models.CharField(_("title"), max_length=500, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    url = models.URLField(_("URL"), max_length=1000, blank=True)
    published_on = models.DateField(_("publication date"), null=True, blank=True)
    published_on_precision = stated_precision()
    language = models.CharField(
        _("language"), max_length=16, blank=True, help_text=_("Language code, e.g. en, ar, ru.")
    )
    excerpt = models.TextField(_("excerpt"), blank=True, help_text=_("The passage quoted from the source."))
    archive_url = models.URLField(_("archive URL"), max_length=1000, blank=True)
    confidential = models.BooleanField(
        _("confidential"),
        default=False,
        help_text=_("Hidden from everyone without the permission to see confidential sources."),
    )

    relays = models.ForeignKey(
        "self", models.PROTECT, null=True, blank=True, related_name="relayed_by", verbose_name=_("relays"),
        help_text=_(
            "The source it only repeats: a newspaper quoting a TASS report relays TASS. Empty for a first "
            "publisher. Sources whose relays lead to the same source count as one independent report."
        ),
    )  # fmt: skip

    history = HistoricalRecords()

    class Meta:
        ordering = ["-published_on", "title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        permissions = [("view_confidential_source", _("Can see confidential sources"))]
        indexes = [models.Index(fields=["url"], name="source_url")]
        constraints = [
            stated_on_first_day("published_on", "source_date_first_day"),
            models.CheckConstraint(
                condition=~Q(title="") | ~Q(url=""),
                name="source_titled_or_linked",
                violation_error_message=SOURCE_UNNAMED,
            ),
            models.UniqueConstraint(
                fields=LINKED_IDENTITY,
                condition=~Q(url=""),
                name="source_linked_once",
                violation_error_message=SOURCE_LINKED_TWICE,
            ),
            models.UniqueConstraint(
                fields=UNLINKED_IDENTITY,
                condition=Q(url="", published_on__isnull=False),
                name="source_titled_once",
                violation_error_message=SOURCE_TITLED_TWICE,
            ),
            # An index never finds two NULLs equal: undated sources are held apart by their own.
            models.UniqueConstraint(
                fields=[name for name in UNLINKED_IDENTITY if name != "published_on"],
                condition=Q(url="", published_on__isnull=True),
                name="source_titled_undated_once",
                violation_error_message=SOURCE_TITLED_TWICE,
            ),
            # A longer loop is refused by clean() and, on PostgreSQL, by a trigger (migration 0017).
            models.CheckConstraint(
                condition=Q(relays__isnull=True) | ~Q(relays=F("pk")),
                name="source_relays_not_itself",
                violation_error_message=RELAYS_ITSELF,
            ),
        ]

    def __str__(self):
        label = self.title or self.url
        if self.publisher:
            label = f"{label} ({self.publisher})"
        return label

    def validate_constraints(self, exclude=None):
        # Whether a source is confidential tells it apart, also where a form leaves that out (it is
        # read-only to those who may not see confidential sources): Django would skip the check of
        # a constraint on a field left out, and the save fail on it.
        super().validate_constraints(exclude=exclude and set(exclude) - {"confidential"})

    @property
    def label(self) -> str:
        """The source's name in a chain of relays: its title, or its URL where it has none."""
        return self.title or self.url

    def relay_loop(self, relays_id: int | None) -> list["Source"] | None:
        """Return the sources of the loop that this source relaying that one would close, from this one back
        to it, or None."""
        if relays_id is None or self.pk is None:
            return None  # a new source: nothing relays it yet, so no chain can come back to it
        loop = relay_loop(self.pk, relays_id, relays_followed({self.pk: relays_id}, relays_id))
        if loop is None:
            return None
        stored = Source.objects.in_bulk(loop)
        return [self if pk == self.pk else stored[pk] for pk in loop]

    def relay_loop_problem(self, relays_id: int | None, *, label=lambda source: source.label) -> str | None:
        """Say why this source cannot relay that one, naming the loop it would close by each source's `label`."""
        if relays_id is not None and relays_id == self.pk:
            return RELAYS_ITSELF
        loop = self.relay_loop(relays_id)
        return loop and RELAYS_IN_A_LOOP % {"chain": " → ".join(label(source) for source in loop)}

    def clean(self):
        if self.published_on:  # as Claim.clean
            self.published_on = first_day(self.published_on, self.published_on_precision)
        # The constraint's words, on the title (see Event.clean).
        if not self.title and not self.url:
            raise ValidationError({"title": SOURCE_UNNAMED})
        problem = self.relay_loop_problem(self.relays_id)
        if problem:
            raise ValidationError({"relays": problem})
