"""What a download is called: the filters it was taken with, so that different selections get different names.

`events-syria-major-2017.csv`, `events-syria-major-2017-hxl.csv`, `claims-syria-major-2017.xlsx`.
Built only from the filters' values (English names, slugged): never from what the filters found,
so that no source or note can reach a file name. A search is named by its words ("search-market"),
so that two searches' downloads do not overwrite each other; words with no Latin letters (an Arabic
search) by a short digest of them instead, which tells them apart without spelling them.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.utils import translation
from django.utils.text import slugify
from django_countries import countries

MAX_NAME_LENGTH = 120  # characters before the extension; a file name may have 255 bytes
MAX_PART_LENGTH = 40  # a party's long name is cut, so that the other filters still show


def dates_part(start: date | None, end: date | None) -> str:
    """Name a date range: "2017" for a whole year, "2017-03-01-to-2017-06-30", "from-2017-03-01"."""
    if start and end and (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(start.year) if start.year == end.year else f"{start.year}-to-{end.year}"
    if start and end:
        return f"{start.isoformat()}-to-{end.isoformat()}"
    if start:
        return f"from-{start.isoformat()}"
    return f"to-{end.isoformat()}" if end else ""


def filter_parts(chosen: dict) -> list[str]:
    """Return a slug for each filter in use, in the order a reader names them."""
    country, party = chosen.get("country"), chosen.get("party")
    named = [
        countries.name(country) if country else "",
        "injured" if chosen.get("outcome") == "injured" else "",  # the levels after it are the injured's
        *sorted(chosen.get("level") or []),
        *(f"injured-{level}" for level in sorted(chosen.get("injured_level") or [])),
        chosen.get("event_type") or "",
        chosen.get("category") or "",
        f"party-{slugify(party.name)[:MAX_PART_LENGTH] or party.pk}" if party else "",  # an Arabic name: its id
        dates_part(chosen.get("date_from"), chosen.get("date_to")),
        {"true": "disputed", "false": "undisputed"}.get(chosen.get("classification_dispute") or "", ""),
        {"true": "inconsistent", "false": "consistent"}.get(chosen.get("inconsistent") or "", ""),
        f"grade-{chosen['grade']}" if chosen.get("grade") else "",
        f"suggested-{chosen['suggested']}" if chosen.get("suggested") else "",
        "assessment-differs" if chosen.get("assessment") else "",
        chosen.get("review") or "",
    ]
    parts = [slug for slug in (slugify(part) for part in named) if slug]
    if chosen.get("min_ratio") is not None:
        parts.append(f"ratio-{chosen['min_ratio'].normalize():f}")  # a number: its decimal point is kept
    words = (chosen.get("q") or "").strip()
    if words:
        parts.append(f"search-{words_part(words)}")
    return parts


def words_part(words: str) -> str:
    """Name words typed or chosen (a search, a party's name) by their slug, cut; by a digest where it is empty."""
    return slugify(words)[:MAX_PART_LENGTH].strip("-") or words_digest(words)


def words_digest(words: str) -> str:
    return hashlib.sha256(words.casefold().encode()).hexdigest()[:8]


def file_name(parts: list[str], *, format: str, suffix: str = "") -> str:
    """Join the parts of a download's name, cut at a whole part past MAX_NAME_LENGTH, and add its extension."""
    name = "-".join(parts)
    if len(name) > MAX_NAME_LENGTH:
        name = name[:MAX_NAME_LENGTH].rsplit("-", 1)[0]
    return f"{name}{suffix}.{format}"


def download_name(filterset, *, kind: str, format: str, hxl: bool = False) -> str:
    """Return the file name of a download of the events this (validated) filterset selects."""
    chosen = filterset.form.cleaned_data if filterset.is_bound else {}
    with translation.override("en"):  # a file name reads the same whatever the language of the page
        parts = filter_parts(chosen) or ["all"]
    return file_name([kind, *parts], format=format, suffix="-hxl" if hxl else "")


def track_records_name(chosen: dict, *, format: str) -> str:
    """Return the file name of a download of the track records under these (validated) filters:
    `track-records-syria-civilian-own-2017.csv`, `track-records-against-airwars.json`."""
    named = [
        slugify(chosen.get("victim_side") or ""),
        f"others-{slugify(chosen['others_kind'])}" if chosen.get("others_kind") else "",
        f"others-{words_part(chosen['others'])}" if chosen.get("others") else "",
        f"against-{words_part(chosen['against'])}" if chosen.get("against", "others").casefold() != "others" else "",
    ]
    with translation.override("en"):
        parts = filter_parts(chosen) + [part for part in named if part]
    return file_name(["track-records", *(parts or ["all"])], format=format)
