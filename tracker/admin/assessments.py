"""Assessments: entered on their event's page, and listed on their own with their history."""

from django.conf import settings
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from tracker.admin.common import CheckedFormFields, CheckedLookups, TrackerMedia
from tracker.admin.forms import BoundedInlineFormSet
from tracker.admin.reviews import mark_reviewed
from tracker.admin.versions import VersionChecked, VersionCheckedForm
from tracker.models import Assessment, Grade, VictimCategory
from tracker.models.assessments import (
    ASSESSED_THAT_DAY,
    FIGURE_CATEGORIES,
    grade_meaning,
    grade_suggestion,
    organisation,
)
from tracker.presentation.numbers import left_to_right


class AssessmentForm(VersionCheckedForm):
    """An assessment whose assessor, left empty, is the organisation's own party."""

    class Meta:
        model = Assessment
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "assessor" in self.fields:
            assessor = self.fields["assessor"]
            assessor.required = False
            assessor.help_text = _("Who judges; leave empty for the organisation (%(name)s).") % {
                "name": settings.TRACKER_ORGANISATION
            }

    def clean_assessor(self):
        return self.cleaned_data["assessor"] or organisation()


class AssessmentFormSet(BoundedInlineFormSet):
    """An event's assessments: a handful a page, each checked whole before any is saved."""

    added_at_most = 5

    def get_unique_error_message(self, unique_check):
        # Two of the page's assessments by one assessor on one date: the constraint's words, not Django's.
        return ASSESSED_THAT_DAY

    def clean(self):
        super().clean()
        # The event's inline leaves the constraint that names the event to the database: check it here.
        seen = set()
        for form in self.forms:
            if not form.has_changed() or self._should_delete_form(form) or form.errors:
                continue
            assessment = form.instance
            key = (assessment.assessor_id, assessment.assessed_on)
            duplicate = key in seen or (
                assessment.event_id is not None
                and Assessment.objects.filter(event_id=assessment.event_id, assessor_id=key[0], assessed_on=key[1])
                .exclude(pk=assessment.pk)
                .exists()
            )
            if duplicate:
                form.add_error(None, ASSESSED_THAT_DAY)
            seen.add(key)


def figure_text(figure) -> str:
    """Say one figure as a range is read: "10–12", "7", or "30+" for at least 30."""
    if figure.high is None:
        return f"{figure.low}+"
    return str(figure.low) if figure.high == figure.low else f"{figure.low}–{figure.high}"


@admin.display(description=_("figures"))
def figures_shown(assessment) -> str:
    """Say an assessment's figures in one line: "civilian 10–12, combatant 30+"."""
    shown = [
        f"{VictimCategory(figure.category).label.lower()} {left_to_right(figure_text(figure))}"
        for figure in assessment.figures()
    ]
    return ", ".join(shown) if shown else admin.site.empty_value_display


@admin.display(description=_("suggested grade"))
def suggestion_shown(assessment) -> str:
    """The grade the event's current claims suggest, with its meaning, read-only beside the assessor's."""
    if assessment.event_id is None:
        return admin.site.empty_value_display
    suggested = grade_suggestion(assessment.event_id)
    if suggested is None:
        return _("none: no current claim reports civilian deaths")
    return format_html("<strong>{}</strong>: {}", Grade(suggested).label, grade_meaning(suggested))


FIGURE_FIELDS = [(f"{category}_low", f"{category}_high") for category in FIGURE_CATEGORIES]


class AssessmentInline(CheckedFormFields, VersionChecked, admin.StackedInline):
    """An event's assessments as cards: the grade beside the suggested one, the method, figures and rationale."""

    model = Assessment
    form = AssessmentForm
    formset = AssessmentFormSet
    template = "admin/edit_inline/cards.html"
    extra = 0
    fields = ["assessor", "assessed_on", "grade", suggestion_shown, "method", *FIGURE_FIELDS, "rationale"]
    readonly_fields = [suggestion_shown]
    autocomplete_fields = ["assessor"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assessor", "event")


@admin.register(Assessment)
class AssessmentAdmin(CheckedLookups, CheckedFormFields, VersionChecked, SimpleHistoryAdmin):
    form = AssessmentForm
    list_display = ["event", "assessor", "grade", "method", figures_shown, "assessed_on", "entered_by", "review_state"]
    actions = [mark_reviewed]
    list_filter = ["review_state", "grade", "method", "assessor"]
    list_select_related = ["event", "assessor", "entered_by"]
    search_fields = ["event__ref"]
    autocomplete_fields = ["event", "assessor"]
    date_hierarchy = "assessed_on"
    readonly_fields = [suggestion_shown, "entered_by", "entered_at", "review_state", "reviewed_by", "reviewed_at"]
    fieldsets = [
        (None, {"fields": ["event", "assessor", "assessed_on", ("grade", suggestion_shown), "method", "rationale"]}),
        (_("Figures"), {
            "description": _(
                "What the assessor believes the toll was, per victim category: a low and a high, the high empty "
                "for “at least” the low; leave a category empty to give no figure."
            ),
            "fields": FIGURE_FIELDS,
        }),
        (None, {"fields": [("entered_by", "entered_at"), ("review_state", "reviewed_by", "reviewed_at")]}),
    ]  # fmt: skip
    Media = TrackerMedia

    def save_model(self, request, obj, form, change):
        if obj.pk is None:
            obj.entered_by = request.user
        super().save_model(request, obj, form, change)
