"""Denials ranked by the deaths they deny: the events stored as denials before this migration get the
ratio rank tracker.summaries.ranking now gives them (its constant, frozen here)."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Greatest

DENIAL_RANK = Decimal(10) ** 12


def denials_rank(apps, schema_editor):
    """The deaths denied are the largest L of the event's killed comparisons at the denial level, which is
    the L of the comparison that sets its level."""
    Event = apps.get_model("tracker", "Event")
    ComparisonGroup = apps.get_model("tracker", "ComparisonGroup")
    ContainmentDiscrepancy = apps.get_model("tracker", "ContainmentDiscrepancy")

    def largest(model, column):
        rows = model.objects.filter(event=OuterRef("pk"), outcome="killed", level="denial").order_by(f"-{column}")
        return Coalesce(Subquery(rows.values(column)[:1]), Value(0))

    denied = Greatest(largest(ComparisonGroup, "lo_max"), largest(ContainmentDiscrepancy, "lo"))
    rank = models.ExpressionWrapper(
        Value(DENIAL_RANK) + denied, output_field=models.DecimalField(max_digits=22, decimal_places=2)
    )
    Event.objects.filter(level="denial").update(ratio_rank=rank)
    # The ratio rank was 10**19 for every denial: kept in SQLite as a float, it could not hold a count beside it.


class Migration(migrations.Migration):
    dependencies = [
        ("tracker", "0023_audit_permission"),
    ]

    operations = [migrations.RunPython(denials_rank, migrations.RunPython.noop)]
