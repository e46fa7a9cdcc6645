"""What an import tells the parts above it; they connect in TrackerConfig.ready(), the importer imports none."""

from django.dispatch import Signal

# Sent once a storing import has committed, with `report` (tracker.ingest.importer.ImportReport): what it
# stored. A receiver that fails is logged; the import stands.
claims_imported = Signal()
