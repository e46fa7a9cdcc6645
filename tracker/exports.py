"""Writing claims and discrepancies out, in the formats the design fixes."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from tracker.models import Claim, ComparisonGroup, Event


def blank_if_none(value) -> str:
    return "" if value is None else str(value)


def claim_rows(claims=None) -> Iterator[dict]:
    """Yield every claim as a row of the claims CSV, in an order an import reproduces."""
    claims = (claims if claims is not None else Claim.objects.all()).select_related(
        "event", "party", "victim_side", "source"
    )
    for claim in claims.order_by("event__ref", "pk").iterator(2000):
        event, source = claim.event, claim.source
        yield {
            "event_ref": event.ref,
            "event_title": event.title,
            "event_date": event.start_date.isoformat(),
            "event_date_end": blank_if_none(event.end_date),
            "date_precision": event.date_precision,
            "event_type": event.event_type,
            "country": event.country.code,
            "admin1": event.admin_region,
            "location": event.location_name,
            "latitude": blank_if_none(event.latitude),
            "longitude": blank_if_none(event.longitude),
            "party": claim.party.name,
            "party_kind": claim.party.kind,
            "category": claim.category,
            "victim_side": claim.victim_side.name if claim.victim_side_id else "",
            "qualifier": claim.qualifier,
            "low": blank_if_none(claim.low),
            "best": blank_if_none(claim.best),
            "high": blank_if_none(claim.high),
            "wording": claim.wording,
            "claimed_on": claim.claimed_on.isoformat(),
            "source_title": source.title,
            "source_url": source.url,
            "source_publisher": source.publisher,
            "source_date": blank_if_none(source.published_on),
            "retracted": "true" if claim.retracted else "false",
            "notes": claim.notes,
        }


def ratio_value(ratio):
    return None if ratio is None else float(ratio)


def discrepancy_records(events=None) -> Iterator[dict]:
    """Yield one record per event: its stored level and ratio, and each group with its claims."""
    events = (
        (events if events is not None else Event.objects.all())
        .by_severity()
        .prefetch_related(
            Prefetch("groups", ComparisonGroup.objects.select_related("victim_side")),
            Prefetch("claims", Claim.objects.select_related("party").order_by("claimed_on", "entered_at", "pk")),
        )
    )
    for event in events.iterator(500):
        claims_by_group: dict[tuple, list[Claim]] = {}
        for claim in event.claims.all():
            claims_by_group.setdefault((claim.category, claim.victim_side_id), []).append(claim)
        yield {
            "ref": event.ref,
            "title": event.title,
            "level": event.level,
            "ratio": ratio_value(event.ratio),
            "classification_dispute": event.classification_dispute,
            "groups": [
                {
                    "category": group.category,
                    "victim_side": group.victim_side.name if group.victim_side_id else None,
                    "level": group.level,
                    "ratio": ratio_value(group.ratio),
                    "claims": [
                        claim_record(claim) for claim in claims_by_group.get((group.category, group.victim_side_id), [])
                    ],
                }
                for group in event.groups.all()
            ],
        }


def claim_record(claim: Claim) -> dict:
    interval = claim.interval
    return {
        "party": claim.party.name,
        "qualifier": claim.qualifier,
        "low": claim.low,
        "best": claim.best,
        "high": claim.high,
        "lo": interval.lo,
        "hi": interval.hi,
        "claimed_on": claim.claimed_on.isoformat(),
        "current": claim.is_current,
        "retracted": claim.retracted,
    }


DISCREPANCY_CSV_COLUMNS = [
    "ref", "title", "level", "ratio", "classification_dispute", "groups", "parties", "claims",
]  # fmt: skip


def discrepancy_csv_row(record: dict) -> dict:
    """Flatten an event's discrepancy record into one CSV row."""
    return {
        "ref": record["ref"],
        "title": record["title"],
        "level": record["level"] or "",
        "ratio": "" if record["ratio"] is None else f"{record['ratio']:.2f}",
        "classification_dispute": "true" if record["classification_dispute"] else "false",
        "groups": len(record["groups"]),
        "parties": len({claim["party"] for group in record["groups"] for claim in group["claims"]}),
        "claims": sum(len(group["claims"]) for group in record["groups"]),
    }
